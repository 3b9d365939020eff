using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Graph;

namespace ResponseFunctions.Playbook.Release.CompromisedAccount;

/// <summary>The incident locations and policy as they stand now (journaled as the release's before/after).</summary>
internal sealed record IncidentLocationsNow(
    string? IpLocationId, string? IpLocationName, IReadOnlyList<string> Ranges,
    string? CountryLocationId, string? CountryLocationName, IReadOnlyList<string> Countries,
    string? PolicyId, string? PolicyName, string? PolicyState, IReadOnlyList<string> PolicyLocations)
{
    /// <summary>Reads the locations and policy 1.e journaled; one deleted since reads as absent (nulls).</summary>
    public static async Task<IncidentLocationsNow> ReadAsync(GraphServiceClient graph, IncidentLocationsJournaled journaled, CancellationToken cancellationToken)
    {
        var ip = journaled.IpLocationId is { } ipId ? await FindAsync(() => graph.Identity.ConditionalAccess.NamedLocations[ipId].GetAsync(cancellationToken: cancellationToken)) as IpNamedLocation : null;
        var country = journaled.CountryLocationId is { } cId ? await FindAsync(() => graph.Identity.ConditionalAccess.NamedLocations[cId].GetAsync(cancellationToken: cancellationToken)) as CountryNamedLocation : null;
        var policy = journaled.PolicyId is { } pId ? await FindAsync(() => graph.Identity.ConditionalAccess.Policies[pId].GetAsync(cancellationToken: cancellationToken)) : null;
        return new IncidentLocationsNow(
            ip?.Id, ip?.DisplayName, [.. (ip?.IpRanges ?? []).Select(CidrOf).OfType<string>().Select(c => Policy.BlockableRanges.Normalize(c) ?? c)],
            country?.Id, country?.DisplayName, country?.CountriesAndRegions ?? [],
            policy?.Id, policy?.DisplayName, policy?.State?.ToString(), policy?.Conditions?.Locations?.IncludeLocations ?? []);
    }

    /// <summary>How the block policy differs from what 1.e left (state, locations added, deleted): empty when unchanged.</summary>
    public List<string> PolicyDrift(IncidentLocationsJournaled journaled)
    {
        var drift = new List<string>();
        if (PolicyId is null)
        {
            return journaled.PolicyState is null ? drift : ["deleted"];
        }

        if (!string.Equals(PolicyState, journaled.PolicyState, StringComparison.OrdinalIgnoreCase))
        {
            drift.Add($"state {journaled.PolicyState} → {PolicyState}");
        }

        var extra = PolicyLocations.Except(journaled.PolicyLocations, StringComparer.OrdinalIgnoreCase).ToList();
        if (extra.Count > 0)
        {
            drift.Add($"locations added: {string.Join(", ", extra)}");
        }

        return drift;
    }

    private static async Task<T?> FindAsync<T>(Func<Task<T?>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (Exception ex) when (GraphErrors.Classify(ex) is { Kind: ErrorKind.NotFound })
        {
            return null;
        }
    }

    private static string? CidrOf(IpRange range) => range switch
    {
        IPv4CidrRange v4 => v4.CidrAddress,
        IPv6CidrRange v6 => v6.CidrAddress,
        _ => null,
    };
}
