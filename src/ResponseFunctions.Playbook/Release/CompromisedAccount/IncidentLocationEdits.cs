using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Release.CompromisedAccount;

/// <summary>The block policy 1.e created, deleted (no other open incident needs it).</summary>
public sealed record DeleteBlockPolicyChange(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>A named location 1.e created and the release emptied, deleted.</summary>
public sealed record DeleteNamedLocationChange(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>This incident's IP ranges taken out of the named location (the resource).</summary>
public sealed record RemoveIpRangesChange(string ResourceId, string Description, IReadOnlyList<string> Values) : PlannedChange(ResourceId, Description);

/// <summary>This incident's countries taken out of the named location (the resource).</summary>
public sealed record RemoveCountriesChange(string ResourceId, string Description, IReadOnlyList<string> Values) : PlannedChange(ResourceId, Description);

/// <summary>
/// Applies one change of 1.e's release against the locations and policy as they stand now: each is idempotent (what
/// is already gone or already out of the location is AlreadyDone). A named location a policy references cannot be
/// deleted, so the plan puts the policy first.
/// </summary>
internal static class IncidentLocationEdits
{
    public const string RemoveRanges = "remove-ip-ranges";
    public const string RemoveCountries = "remove-countries";
    public const string DeletePolicy = "delete-block-policy";
    public const string DeleteLocation = "delete-named-location";

    public static async Task<ChangeOutcome> ApplyAsync(GraphServiceClient graph, PlannedChange change, IncidentLocationsNow now, CancellationToken cancellationToken)
    {
        switch (change.Kind)
        {
            case DeletePolicy:
                if (now.PolicyId is null)
                {
                    return ChangeOutcome.AlreadyDone;
                }

                await graph.Identity.ConditionalAccess.Policies[change.ResourceId].DeleteAsync(cancellationToken: cancellationToken);
                return ChangeOutcome.Done;
            case DeleteLocation:
                if (now.IpLocationId != change.ResourceId && now.CountryLocationId != change.ResourceId)
                {
                    return ChangeOutcome.AlreadyDone;
                }

                await graph.Identity.ConditionalAccess.NamedLocations[change.ResourceId].DeleteAsync(cancellationToken: cancellationToken);
                return ChangeOutcome.Done;
            case RemoveRanges:
            {
                var remaining = now.Ranges.Except(Values(change), StringComparer.OrdinalIgnoreCase).ToList();
                if (remaining.Count == now.Ranges.Count)
                {
                    return ChangeOutcome.AlreadyDone;
                }

                await graph.Identity.ConditionalAccess.NamedLocations[change.ResourceId].PatchAsync(
                    new IpNamedLocation { OdataType = "#microsoft.graph.ipNamedLocation", IpRanges = [.. remaining.Select(ToIpRange)] }, cancellationToken: cancellationToken);
                return ChangeOutcome.Done;
            }

            case RemoveCountries:
            {
                var remaining = now.Countries.Except(Values(change), StringComparer.OrdinalIgnoreCase).ToList();
                if (remaining.Count == now.Countries.Count)
                {
                    return ChangeOutcome.AlreadyDone;
                }

                await graph.Identity.ConditionalAccess.NamedLocations[change.ResourceId].PatchAsync(
                    new CountryNamedLocation { OdataType = "#microsoft.graph.countryNamedLocation", CountriesAndRegions = remaining }, cancellationToken: cancellationToken);
                return ChangeOutcome.Done;
            }

            default:
                throw new InvalidOperationException($"The release of 1.e cannot apply '{change.Kind}'.");
        }
    }

    /// <summary>The addresses or countries a removal change takes out (none for a deletion).</summary>
    public static IReadOnlyList<string> Values(PlannedChange change) => change switch
    {
        RemoveIpRangesChange ranges => ranges.Values,
        RemoveCountriesChange countries => countries.Values,
        _ => [],
    };

    private static IpRange ToIpRange(string cidr) => System.Net.IPNetwork.Parse(cidr).BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? new IPv6CidrRange { OdataType = "#microsoft.graph.iPv6CidrRange", CidrAddress = cidr }
        : new IPv4CidrRange { OdataType = "#microsoft.graph.iPv4CidrRange", CidrAddress = cidr };
}
