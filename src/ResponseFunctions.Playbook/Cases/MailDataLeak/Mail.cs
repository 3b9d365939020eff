using System.Text.Json;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Graph;

namespace ResponseFunctions.Playbook.Cases.MailDataLeak;

/// <summary>What the Case 4 and 5 actions share: reading Exchange's output, telling external addresses apart, running one change.</summary>
internal static class Mail
{
    /// <summary>The tenant's own domains (Get-AcceptedDomain): an address outside them is external.</summary>
    public static async Task<IReadOnlySet<string>> AcceptedDomainsAsync(IExchangeOnline exchange, CancellationToken cancellationToken) =>
        (await exchange.InvokeAsync(ExchangeCommand.For("Get-AcceptedDomain"), cancellationToken))
        .Select(d => Str(d, "DomainName")).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);

    public static bool IsExternal(string address, IReadOnlySet<string> accepted)
    {
        var at = address.LastIndexOf('@');
        return at < 0 || !accepted.Contains(address[(at + 1)..]);
    }

    /// <summary>An address out of Exchange's recipient notations: <c>"Name" [SMTP:a@b]</c>, <c>smtp:a@b</c>, <c>a@b</c>.</summary>
    public static string AddressOf(string recipient)
    {
        var at = recipient.IndexOf("SMTP:", StringComparison.OrdinalIgnoreCase);
        var address = at < 0 ? recipient : recipient[(at + 5)..];
        return address.Trim().TrimEnd(']').Trim('"', ' ');
    }

    public static bool SameAddress(string? a, string? b) => string.Equals(a is null ? null : AddressOf(a), b is null ? null : AddressOf(b), StringComparison.OrdinalIgnoreCase);

    public static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Null or JsonValueKind.Undefined => null, _ => v.ToString() } : null;

    public static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    public static int? Int(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    public static IReadOnlyList<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Array => [.. v.EnumerateArray().Select(x => x.GetString()).OfType<string>()],
            JsonValueKind.String when v.GetString() is { Length: > 0 } one => [one],
            _ => [],
        } : [];

    public static DateTimeOffset? Date(JsonElement e, string name) =>
        Str(e, name) is { } text && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var date) ? date : null;

    /// <summary>Whether a change dated <paramref name="when"/> falls in the incident window (from the lookback before opening, on).</summary>
    public static bool InIncidentWindow(DateTimeOffset? when, IncidentScope scope, TimeSpan lookback) => when >= scope.OpenedAt - lookback;

    public static ChangeOutcome OutcomeOf(ExchangeResult result) => result.ChangedNothing ? ChangeOutcome.AlreadyDone : ChangeOutcome.Done;

    public static IReadOnlyDictionary<string, string> Params(params (string Key, string Value)[] values) => values.ToDictionary(v => v.Key, v => v.Value);

    public static IReadOnlyList<string> Split(string joined) => joined.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static string Join(IEnumerable<string> values) => string.Join('\n', values);
}
