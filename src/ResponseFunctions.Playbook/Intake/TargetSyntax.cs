using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Intake;

/// <summary>
/// The target shapes <see cref="ContainmentRequestParser"/> accepts, checked one entity at a time, so that a
/// malformed entity is set aside with its reason instead of refusing the whole incident.
/// </summary>
internal static partial class TargetSyntax
{
    public static string? Guid(string? value) => System.Guid.TryParse(value, out var id) ? id.ToString("D") : null;

    public static string? Upn(string? value) => value is not null && ContainmentRequestParser.UpnPattern().IsMatch(value) ? value.ToLowerInvariant() : null;

    /// <summary>"name:&lt;exact display name&gt;": an application an alert names only by name (see <see cref="ContainmentRequestParser.ApplicationByName"/>).</summary>
    public static string? ApplicationName(string? value) => ContainmentRequestParser.ApplicationByName(ContainmentRequestParser.ApplicationNamePrefix + value);

    public static string? ResourceId(string? value) => ResourceIds.Normalize(value);

    /// <summary>A public address as a CIDR range; null with <paramref name="why"/> for anything a CA block cannot use.</summary>
    public static string? PublicIp(string? value, out string? why)
    {
        why = "not an IP address";
        return value is null ? null : BlockableRanges.Normalize(value, out why);
    }
}
