using System.Text.Json;

namespace ResponseFunctions.Playbook.Release.CompromisedAccount;

/// <summary>
/// What 1.e's apply journaled: the locations and policy before and after it (CaState.Describe's shape), hence what
/// this incident added (after minus before) and which of the locations and policy it created.
/// </summary>
internal sealed record IncidentLocationsJournaled(
    string? IpLocationId, IReadOnlyList<string> AfterRanges, IReadOnlyList<string> AddedRanges, bool IpLocationCreated,
    string? CountryLocationId, IReadOnlyList<string> AfterCountries, IReadOnlyList<string> AddedCountries, bool CountryLocationCreated,
    string? PolicyId, string? PolicyState, IReadOnlyList<string> PolicyLocations, bool PolicyCreated)
{
    public static IncidentLocationsJournaled From(OriginalStep original)
    {
        var (beforeIp, afterIp) = (Part(original.Before, "ipLocation"), Part(original.After, "ipLocation"));
        var (beforeCountry, afterCountry) = (Part(original.Before, "countryLocation"), Part(original.After, "countryLocation"));
        var (beforePolicy, afterPolicy) = (Part(original.Before, "policy"), Part(original.After, "policy"));
        var afterRanges = Strings(afterIp, "ranges");
        var afterCountries = Strings(afterCountry, "countries");
        return new IncidentLocationsJournaled(
            Text(afterIp, "id"), afterRanges, [.. afterRanges.Except(Strings(beforeIp, "ranges"), StringComparer.OrdinalIgnoreCase)], afterIp is not null && beforeIp is null,
            Text(afterCountry, "id"), afterCountries, [.. afterCountries.Except(Strings(beforeCountry, "countries"), StringComparer.OrdinalIgnoreCase)],
            afterCountry is not null && beforeCountry is null,
            Text(afterPolicy, "id"), Text(afterPolicy, "state"), Strings(afterPolicy, "includeLocations"), afterPolicy is not null && beforePolicy is null);
    }

    private static JsonElement? Part(JsonElement? state, string name) => OriginalStep.Property(state, name);

    private static string? Text(JsonElement? part, string name) => OriginalStep.Property(part, name)?.GetString();

    private static IReadOnlyList<string> Strings(JsonElement? part, string name) =>
        OriginalStep.Property(part, name) is { ValueKind: JsonValueKind.Array } array ? [.. array.EnumerateArray().Select(e => e.GetString()).OfType<string>()] : [];
}
