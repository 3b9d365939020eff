using System.Text.Json;
using ResponseFunctions.Playbook.Exchange;

namespace ResponseFunctions.Playbook.Release.MailDataLeak;

/// <summary>Reads shared by the mail releases: the journaled entry of one item, and a mailbox's client access settings now.</summary>
internal static class MailRelease
{
    /// <summary>The element of a journaled array (or of its <paramref name="property"/>) whose <paramref name="key"/> is <paramref name="value"/>.</summary>
    public static JsonElement? Find(JsonElement? state, string? property, string key, string value)
    {
        var array = property is null ? state : OriginalStep.Property(state, property);
        return array is { ValueKind: JsonValueKind.Array } a
            ? a.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object && string.Equals(OriginalStep.Property(e, key)?.GetString(), value, StringComparison.OrdinalIgnoreCase))
                .Select(e => (JsonElement?)e.Clone()).FirstOrDefault()
            : null;
    }

    public static bool? Bool(JsonElement? state, string name) =>
        OriginalStep.Property(state, name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } b ? b.GetBoolean() : null;

    public static IReadOnlyList<string> Strings(JsonElement? state, string name) =>
        OriginalStep.Property(state, name) is { ValueKind: JsonValueKind.Array } array ? [.. array.EnumerateArray().Select(e => e.GetString()).OfType<string>()] : [];

    public static async Task<JsonElement> CasMailboxAsync(IExchangeOnline exchange, string upn, CancellationToken cancellationToken) =>
        (await exchange.InvokeAsync(ExchangeCommand.For("Get-CASMailbox").AnchoredTo(upn).With("Identity", upn), cancellationToken)).Single();

    public static string OnOff(bool? value, string unknown = "organisation setting") => value switch { true => "on", false => "off", null => unknown };
}
