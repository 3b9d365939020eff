using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
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
        why = null;
        if (value is null || ContainmentRequestParser.NormalizeIp(value) is not { } cidr)
        {
            why = "not an IP address";
            return null;
        }

        var address = IPAddress.Parse(cidr[..cidr.IndexOf('/', StringComparison.Ordinal)]);
        if (IPAddress.IsLoopback(address) || IsPrivate(address))
        {
            why = "private, loopback or link-local address: the attacker's public address is what Conditional Access sees";
            return null;
        }

        return cidr;
    }

    private static bool IsPrivate(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
        }

        var b = address.GetAddressBytes();
        return b[0] == 10 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] is >= 64 and <= 127) || b[0] == 0;
    }

}
