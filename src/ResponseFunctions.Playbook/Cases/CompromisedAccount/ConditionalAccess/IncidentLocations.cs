using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount.ConditionalAccess;

/// <summary>Create the incident's IP named location, or add the missing ranges to it.</summary>
public sealed record EnsureIpLocation(string ResourceId, string Description, IReadOnlyList<string> Ranges) : PlannedChange(ResourceId, Description);

/// <summary>Create the incident's country named location, or add the missing countries to it.</summary>
public sealed record EnsureCountryLocation(string ResourceId, string Description, IReadOnlyList<string> Countries) : PlannedChange(ResourceId, Description);

/// <summary>
/// 1.e's named locations: what is there (the incident's IP and country locations, the trusted ones), what of the
/// incident may be blocked (never a trusted range or country, never a never-block range; fail closed when a trusted
/// location is missing) and the writes that add the rest. Later incidents extend the same locations.
/// </summary>
/// <remarks>Graph: GET/POST/PATCH /identity/conditionalAccess/namedLocations (ipNamedLocation, countryNamedLocation).</remarks>
public sealed class IncidentLocations(GraphServiceClient graph, DirectoryReader directory, IOptions<ContainmentPolicy> policy)
{
    private const string IpLocationType = "#microsoft.graph.ipNamedLocation";
    private const string CountryLocationType = "#microsoft.graph.countryNamedLocation";

    private ConditionalAccessHardening Settings => policy.Value.ConditionalAccess;

    public async Task<ConditionalAccessState> ReadAsync(CancellationToken cancellationToken)
    {
        var locations = await directory.AllPagesAsync<NamedLocation, NamedLocationCollectionResponse>(
            await graph.Identity.ConditionalAccess.NamedLocations.GetAsync(cancellationToken: cancellationToken), cancellationToken);
        var policies = await directory.AllPagesAsync<ConditionalAccessPolicy, ConditionalAccessPolicyCollectionResponse>(
            await graph.Identity.ConditionalAccess.Policies.GetAsync(cancellationToken: cancellationToken), cancellationToken);
        var markedTrusted = locations.Where(l => Settings.TrustedLocations.Any(t => Names(t, l))).ToList();
        var trusted = locations.OfType<IpNamedLocation>().Where(l => l.IsTrusted == true || markedTrusted.Contains(l))
            .SelectMany(l => (l.IpRanges ?? []).Select(r => (l.DisplayName ?? l.Id ?? "?", CidrOf(r)))).Where(t => t.Item2 is not null)
            .Select(t => (t.Item1, t.Item2!)).ToList();
        var trustedCountries = markedTrusted.OfType<CountryNamedLocation>()
            .SelectMany(l => (l.CountriesAndRegions ?? []).Select(c => (l.DisplayName ?? l.Id ?? "?", c.ToUpperInvariant()))).ToList();
        return new ConditionalAccessState(
            locations.OfType<IpNamedLocation>().FirstOrDefault(l => l.DisplayName == Settings.IpLocationName),
            locations.OfType<CountryNamedLocation>().FirstOrDefault(l => l.DisplayName == Settings.CountryLocationName),
            policies.FirstOrDefault(p => p.DisplayName == Settings.PolicyName),
            trusted)
        {
            TrustedCountries = trustedCountries,
            MissingTrustedLocations = [.. Settings.TrustedLocations.Where(t => !markedTrusted.Any(l => Names(t, l)))],
        };
    }

    /// <summary>The incident's ranges minus any inside a trusted location or a never-block range; each one left out is a warning.</summary>
    public List<string> RangesToBlock(IReadOnlyList<string> ips, ConditionalAccessState current, List<string> warnings)
    {
        IReadOnlyList<(string Location, string Range)> trusted = [.. current.TrustedRanges, .. Settings.NeverBlock.Select(r => ("never-block (policy)", r))];
        var ranges = new List<string>();
        foreach (var given in ips)
        {
            // Every entry path normalizes; checked again here, where the block is built.
            if (BlockableRanges.Normalize(given, out var why) is not { } ip)
            {
                warnings.Add($"{given} is not blocked: {why}.");
                continue;
            }

            var network = IPNetwork.Parse(ip);
            if (trusted.FirstOrDefault(t => IPNetwork.TryParse(t.Range, out var range) && BlockableRanges.Overlaps(range, network)) is { Location: not null } overlap)
            {
                warnings.Add($"{ip} is inside the trusted named location \"{overlap.Location}\" ({overlap.Range}): not blocked. Check that location.");
                continue;
            }

            if (network.PrefixLength < (network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 24 : 48))
            {
                warnings.Add($"{ip} is a wide range: blocking it may block legitimate users too.");
            }

            ranges.Add(ip);
        }

        return ranges;
    }

    /// <summary>
    /// The incident's countries minus any a trusted location contains (each refusal is a warning, the trusted countries
    /// are evidence). A configured trusted location that cannot be found fails closed: no country is blocked.
    /// </summary>
    public static List<string> BlockableCountries(IReadOnlyList<string> countries, ConditionalAccessState current, List<Evidence> evidence, List<string> warnings)
    {
        if (countries.Count == 0)
        {
            return [];
        }

        evidence.Add(new Evidence("Trusted country locations (never blocked)", current.TrustedCountries.Count == 0
            ? "none"
            : string.Join("; ", current.TrustedCountries.GroupBy(t => t.Location).Select(g => $"\"{g.Key}\": {string.Join(", ", g.Select(t => t.Country))}"))));
        if (current.MissingTrustedLocations.Count > 0)
        {
            warnings.Add($"The trusted location(s) {string.Join(", ", current.MissingTrustedLocations.Select(l => $"\"{l}\""))} (ConditionalAccess.TrustedLocations) "
                + $"are not in the tenant: no country is blocked ({string.Join(", ", countries)}) until they name existing named locations.");
            return [];
        }

        var blockable = new List<string>();
        foreach (var country in countries)
        {
            if (current.TrustedLocationOf(country) is { } location)
            {
                warnings.Add($"{country} is in the trusted named location \"{location}\": not blocked.");
                continue;
            }

            blockable.Add(country);
        }

        return blockable;
    }

    public async Task<ChangeOutcome> EnsureIpAsync(ConditionalAccessState current, IReadOnlyList<string> ranges, CancellationToken cancellationToken)
    {
        var missing = ranges.Except(current.IpRanges, StringComparer.OrdinalIgnoreCase).ToList();
        if (missing.Count == 0)
        {
            return ChangeOutcome.AlreadyDone;
        }

        var all = current.IpRanges.Concat(missing).Select(ToIpRange).ToList();
        if (current.IpLocation is null)
        {
            await graph.Identity.ConditionalAccess.NamedLocations.PostAsync(
                new IpNamedLocation { OdataType = IpLocationType, DisplayName = Settings.IpLocationName, IsTrusted = false, IpRanges = all },
                cancellationToken: cancellationToken);
        }
        else
        {
            await graph.Identity.ConditionalAccess.NamedLocations[current.IpLocation.Id].PatchAsync(
                new IpNamedLocation { OdataType = IpLocationType, IpRanges = all }, cancellationToken: cancellationToken);
        }

        return ChangeOutcome.Done;
    }

    public async Task<ChangeOutcome> EnsureCountriesAsync(ConditionalAccessState current, IReadOnlyList<string> countries, CancellationToken cancellationToken)
    {
        var missing = countries.Except(current.Countries, StringComparer.OrdinalIgnoreCase).ToList();
        if (missing.Count == 0)
        {
            return ChangeOutcome.AlreadyDone;
        }

        // Checked again against the locations as they are now: one marked trusted after the plan still wins.
        if (current.MissingTrustedLocations.Count > 0 || missing.Any(c => current.TrustedLocationOf(c) is not null))
        {
            throw new ChangeRefusedException("RefusedBySafetyRule",
                "A planned country is now in a trusted named location (or a trusted location is missing): not blocked. Plan again.");
        }

        var all = current.Countries.Concat(missing).ToList();
        if (current.CountryLocation is null)
        {
            await graph.Identity.ConditionalAccess.NamedLocations.PostAsync(
                new CountryNamedLocation
                {
                    OdataType = CountryLocationType,
                    DisplayName = Settings.CountryLocationName,
                    CountriesAndRegions = all,
                    IncludeUnknownCountriesAndRegions = false,
                    CountryLookupMethod = CountryLookupMethodType.ClientIpAddress,
                },
                cancellationToken: cancellationToken);
        }
        else
        {
            await graph.Identity.ConditionalAccess.NamedLocations[current.CountryLocation.Id].PatchAsync(
                new CountryNamedLocation { OdataType = CountryLocationType, CountriesAndRegions = all }, cancellationToken: cancellationToken);
        }

        return ChangeOutcome.Done;
    }

    public static string? CidrOf(IpRange range) => range switch
    {
        IPv4CidrRange v4 => v4.CidrAddress,
        IPv6CidrRange v6 => v6.CidrAddress,
        _ => null,
    };

    private static IpRange ToIpRange(string cidr) => IPNetwork.Parse(cidr).BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? new IPv6CidrRange { OdataType = "#microsoft.graph.iPv6CidrRange", CidrAddress = cidr }
        : new IPv4CidrRange { OdataType = "#microsoft.graph.iPv4CidrRange", CidrAddress = cidr };

    private static bool Names(string configured, NamedLocation location) =>
        string.Equals(configured, location.DisplayName, StringComparison.OrdinalIgnoreCase) || string.Equals(configured, location.Id, StringComparison.OrdinalIgnoreCase);
}
