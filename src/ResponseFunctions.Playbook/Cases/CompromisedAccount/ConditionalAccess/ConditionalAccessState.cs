using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount.ConditionalAccess;

/// <summary>
/// The incident location(s) and block policy as they stand, with the trusted locations 1.e must never block;
/// <see cref="Describe"/> is what the journal keeps before and after (release reads it back: keep its property names).
/// </summary>
public sealed record ConditionalAccessState(
    IpNamedLocation? IpLocation,
    CountryNamedLocation? CountryLocation,
    ConditionalAccessPolicy? Policy,
    IReadOnlyList<(string Location, string Range)> TrustedRanges)
{
    /// <summary>Nothing read: the incident names no IP nor country, so 1.e has nothing to look at.</summary>
    public static ConditionalAccessState Unread { get; } = new(null, null, null, []);

    public IReadOnlyList<string> IpRanges { get; } =
        [.. (IpLocation?.IpRanges ?? []).Select(IncidentLocations.CidrOf).OfType<string>().Select(c => BlockableRanges.Normalize(c) ?? c)];

    public IReadOnlyList<string> Countries { get; } = CountryLocation?.CountriesAndRegions ?? [];

    /// <summary>The countries of the country locations the policy marks trusted, with the location's name.</summary>
    public IReadOnlyList<(string Location, string Country)> TrustedCountries { get; init; } = [];

    /// <summary>Trusted locations the policy names that the tenant does not have: their countries are unknown.</summary>
    public IReadOnlyList<string> MissingTrustedLocations { get; init; } = [];

    public string? TrustedLocationOf(string country) =>
        TrustedCountries.FirstOrDefault(t => string.Equals(t.Country, country, StringComparison.OrdinalIgnoreCase)).Location;

    public object Describe() => new
    {
        ipLocation = IpLocation is null ? null : new { id = IpLocation.Id, name = IpLocation.DisplayName, ranges = IpRanges },
        countryLocation = CountryLocation is null ? null : new { id = CountryLocation.Id, name = CountryLocation.DisplayName, countries = Countries },
        policy = Policy is null ? null : new
        {
            id = Policy.Id,
            name = Policy.DisplayName,
            state = Policy.State?.ToString(),
            includeLocations = Policy.Conditions?.Locations?.IncludeLocations,
            excludeUsers = Policy.Conditions?.Users?.ExcludeUsers,
        },
    };
}
