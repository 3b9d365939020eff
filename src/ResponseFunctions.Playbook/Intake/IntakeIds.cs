using System.Security.Cryptography;
using System.Text;

namespace ResponseFunctions.Playbook.Intake;

/// <summary>
/// Incident ids for containments started by intake, deterministic so that a redelivered or updated incident finds
/// the containment it already started (<see cref="Orchestration.InstanceIds.ForIncident"/> turns them into instance
/// ids). All fit the request's incident-id pattern: letters, digits, '.', '_', '-', at most 64.
/// </summary>
public static class IntakeIds
{
    /// <summary><c>sentinel-&lt;incidentNumber&gt;-&lt;8 hex of the ARM id&gt;</c>: readable, and unique across workspaces (numbers are per workspace).</summary>
    public static string ForSentinelIncident(long? number, string armId) =>
        $"sentinel-{number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "x"}-{ShortHash(armId.ToLowerInvariant())}";

    public static string ForSentinelAlert(string systemAlertId) => $"sentinel-alert-{ShortHash(systemAlertId.ToLowerInvariant())}";

    /// <summary>
    /// <c>risk-&lt;user id, 32 hex&gt;-&lt;window start yyyyMMddHHmm&gt;</c>: one containment per user per window. The whole
    /// id, not a prefix: object ids of one tenant can share their first characters, and a collision would silently
    /// turn another user's containment into a "duplicate".
    /// </summary>
    public static string ForRisk(string userId, DateTimeOffset windowStart) =>
        $"risk-{Sanitize(userId)[..Math.Min(32, Sanitize(userId).Length)]}-{windowStart.UtcDateTime:yyyyMMddHHmm}";

    /// <summary>
    /// <c>&lt;incident id&gt;-fu-&lt;8 hex of the new targets&gt;</c>: the follow-up containment for the targets an update
    /// added; the same update redelivered finds it, a later update with other targets gets its own.
    /// </summary>
    public static string ForFollowUp(string incidentId, IEnumerable<string> newTargets)
    {
        var suffix = "-fu-" + ShortHash(string.Join('\n', newTargets.Select(t => t.ToLowerInvariant()).Order(StringComparer.Ordinal)));
        return (incidentId.Length + suffix.Length <= 64 ? incidentId : incidentId[..(64 - suffix.Length)]) + suffix;
    }

    /// <summary>The start of the window holding <paramref name="at"/>; windows are aligned on the Unix epoch.</summary>
    public static DateTimeOffset WindowStart(DateTimeOffset at, TimeSpan window)
    {
        var ticks = at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return DateTimeOffset.UnixEpoch.AddTicks(ticks - (ticks % window.Ticks));
    }

    /// <summary>A GUID derived from <paramref name="name"/> (SHA-256, RFC 9562 version 8 bits), for ids a retry must reproduce.</summary>
    public static Guid DeterministicGuid(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    internal static string ShortHash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..8];

    private static string Sanitize(string value) => new([.. value.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]);
}
