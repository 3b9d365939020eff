using System.Text.Json;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;

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
/// Release of 1.e — take this incident's addresses and countries out of the incident named locations, and delete the
/// block policy (then its emptied locations) only when no other open incident needs it: when the locations would be
/// left empty. What was there before the containment, what someone added since and what another open incident blocks
/// stay; a policy changed since the containment (state, locations) is never deleted: the plan shows the difference.
/// </summary>
/// <remarks>Graph: GET/PATCH/DELETE /identity/conditionalAccess/namedLocations/{id}, GET/DELETE
/// /identity/conditionalAccess/policies/{id} (Policy.Read.All + Policy.ReadWrite.ConditionalAccess), as 1.e. A named
/// location a policy references cannot be deleted, so the policy goes first.</remarks>
public sealed class UnblockIncidentLocations(GraphServiceClient graph) : IReleaseAction
{
    private const string RemoveRanges = "remove-ip-ranges";
    private const string RemoveCountries = "remove-countries";
    private const string DeletePolicy = "delete-block-policy";
    private const string DeleteLocation = "delete-named-location";

    public ActionId Id { get; } = ActionId.Parse("1.e");

    public async Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken)
    {
        var journaled = Journaled.From(original);
        var now = await ReadAsync(journaled, cancellationToken);
        var evidence = new List<Evidence>
        {
            new("Containment entry", original.EntryId),
            new("Added by this incident", string.Join(", ", journaled.AddedRanges.Concat(journaled.AddedCountries)) is { Length: > 0 } added ? added : "nothing"),
            new("Named locations now", $"{string.Join(", ", now.Ranges)} {string.Join(", ", now.Countries)}".Trim() is { Length: > 0 } n ? n : "none"),
        };
        var warnings = new List<string>();
        var held = step.HeldLocations.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var keptForOthers = journaled.AddedRanges.Concat(journaled.AddedCountries).Where(held.Contains).ToList();
        if (keptForOthers.Count > 0)
        {
            evidence.Add(new("Kept: another open incident blocks", string.Join(", ", keptForOthers)));
        }

        var ranges = journaled.AddedRanges.Where(r => !held.Contains(r) && now.Ranges.Contains(r, StringComparer.OrdinalIgnoreCase)).ToList();
        var countries = journaled.AddedCountries.Where(c => !held.Contains(c) && now.Countries.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
        var addedSince = now.Ranges.Concat(now.Countries)
            .Except(journaled.AfterRanges.Concat(journaled.AfterCountries), StringComparer.OrdinalIgnoreCase).ToList();
        if (addedSince.Count > 0)
        {
            evidence.Add(new("Added since the containment", string.Join(", ", addedSince)));
        }

        var policyDrift = PolicyDrift(journaled, now);
        if (policyDrift.Count > 0)
        {
            evidence.Add(new("Policy changed since the containment", string.Join("; ", policyDrift)));
        }

        var ipEmptied = now.IpLocationId is null || now.Ranges.Except(ranges, StringComparer.OrdinalIgnoreCase).Any() == false;
        var countryEmptied = now.CountryLocationId is null || now.Countries.Except(countries, StringComparer.OrdinalIgnoreCase).Any() == false;
        var changes = new List<PlannedChange>();
        if (ipEmptied && countryEmptied && now.PolicyId is not null)
        {
            // Nothing else is blocked through these locations: no other open incident needs the policy.
            if (!journaled.PolicyCreated || policyDrift.Count > 0)
            {
                warnings.Add(policyDrift.Count > 0
                    ? $"The block policy was changed since the containment ({string.Join("; ", policyDrift)}): it is not deleted. The incident's addresses stay until a person removes the policy or adds another location."
                    : "The block policy existed before the containment: it is kept, and the incident's addresses with it (a location it uses cannot be left empty).");
                ranges.Clear();
                countries.Clear();
            }
            else
            {
                changes.Add(new DeleteBlockPolicyChange(now.PolicyId, $"Delete the Conditional Access policy \"{now.PolicyName}\" (no other open incident needs it)"));
                foreach (var (id, name, created) in new[] { (now.IpLocationId, now.IpLocationName, journaled.IpLocationCreated), (now.CountryLocationId, now.CountryLocationName, journaled.CountryLocationCreated) })
                {
                    if (id is not null && created)
                    {
                        changes.Add(new DeleteNamedLocationChange(id, $"Delete the emptied named location \"{name}\""));
                    }
                }

                ranges.Clear();
                countries.Clear();
            }
        }

        if (ranges.Count > 0)
        {
            changes.Add(new RemoveIpRangesChange(now.IpLocationId!, $"Remove {string.Join(", ", ranges)} from \"{now.IpLocationName}\"", [.. ranges]));
        }

        if (countries.Count > 0)
        {
            changes.Add(new RemoveCountriesChange(now.CountryLocationId!, $"Remove countries {string.Join(", ", countries)} from \"{now.CountryLocationName}\"", [.. countries]));
        }

        return changes.Count == 0
            ? Plans.NothingToDo(step.Step, "Nothing of this incident is left to remove from the block policy and its locations.", evidence, Snapshot.Of(now), warnings)
            : Plans.Change(step.Step, "Stop blocking this incident's locations.", evidence, changes, warnings, Snapshot.Of(now));
    }

    public async Task<ApplyResult> ApplyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var journaled = Journaled.From(original);
        var before = await ReadAsync(journaled, cancellationToken);
        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes)
        {
            results.Add(await Results.RunChangeAsync(change, () => ApplyAsync(change, journaled, cancellationToken)));
        }

        var after = await ReadAsync(journaled, cancellationToken);
        return Results.From(step.Step, results, "This incident's locations are no longer blocked.", Snapshot.Of(before), Snapshot.Of(after), plan.Warnings);
    }

    private async Task<ChangeOutcome> ApplyAsync(PlannedChange change, Journaled journaled, CancellationToken cancellationToken)
    {
        var now = await ReadAsync(journaled, cancellationToken);
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

    public async Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var now = await ReadAsync(Journaled.From(original), cancellationToken);
        var left = plan.Changes.Where(c => c.Kind is RemoveRanges or RemoveCountries).SelectMany(Values)
            .Where(v => now.Ranges.Concat(now.Countries).Contains(v, StringComparer.OrdinalIgnoreCase)).ToList();
        var policyLeft = plan.Changes.Any(c => c.Kind == DeletePolicy) && now.PolicyId is not null;
        return left.Count == 0 && !policyLeft
            ? Results.Verified(step.Step, "The incident's locations are no longer blocked" + (plan.Changes.Any(c => c.Kind == DeletePolicy) ? "; the block policy is gone." : "."))
            : Results.Mismatch(step.Step, $"Still blocked: {string.Join(", ", left)}{(policyLeft ? " (the block policy is still there)" : string.Empty)}.");
    }

    private static List<string> PolicyDrift(Journaled journaled, Current now)
    {
        var drift = new List<string>();
        if (now.PolicyId is null)
        {
            return journaled.PolicyState is null ? drift : ["deleted"];
        }

        if (!string.Equals(now.PolicyState, journaled.PolicyState, StringComparison.OrdinalIgnoreCase))
        {
            drift.Add($"state {journaled.PolicyState} → {now.PolicyState}");
        }

        var extra = now.PolicyLocations.Except(journaled.PolicyLocations, StringComparer.OrdinalIgnoreCase).ToList();
        if (extra.Count > 0)
        {
            drift.Add($"locations added: {string.Join(", ", extra)}");
        }

        return drift;
    }

    private async Task<Current> ReadAsync(Journaled journaled, CancellationToken cancellationToken)
    {
        var ip = journaled.IpLocationId is { } ipId ? await FindAsync(() => graph.Identity.ConditionalAccess.NamedLocations[ipId].GetAsync(cancellationToken: cancellationToken)) as IpNamedLocation : null;
        var country = journaled.CountryLocationId is { } cId ? await FindAsync(() => graph.Identity.ConditionalAccess.NamedLocations[cId].GetAsync(cancellationToken: cancellationToken)) as CountryNamedLocation : null;
        var policy = journaled.PolicyId is { } pId ? await FindAsync(() => graph.Identity.ConditionalAccess.Policies[pId].GetAsync(cancellationToken: cancellationToken)) : null;
        return new Current(
            ip?.Id, ip?.DisplayName, [.. (ip?.IpRanges ?? []).Select(CidrOf).OfType<string>().Select(c => Policy.BlockableRanges.Normalize(c) ?? c)],
            country?.Id, country?.DisplayName, country?.CountriesAndRegions ?? [],
            policy?.Id, policy?.DisplayName, policy?.State?.ToString(), policy?.Conditions?.Locations?.IncludeLocations ?? []);
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

    private static IReadOnlyList<string> Values(PlannedChange change) => change switch
    {
        RemoveIpRangesChange ranges => ranges.Values,
        RemoveCountriesChange countries => countries.Values,
        _ => [],
    };

    private static IpRange ToIpRange(string cidr) => System.Net.IPNetwork.Parse(cidr).BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? new IPv6CidrRange { OdataType = "#microsoft.graph.iPv6CidrRange", CidrAddress = cidr }
        : new IPv4CidrRange { OdataType = "#microsoft.graph.iPv4CidrRange", CidrAddress = cidr };

    private static string? CidrOf(IpRange range) => range switch
    {
        IPv4CidrRange v4 => v4.CidrAddress,
        IPv6CidrRange v6 => v6.CidrAddress,
        _ => null,
    };

    /// <summary>The incident locations and policy as they stand now (journaled as the release's before/after).</summary>
    private sealed record Current(
        string? IpLocationId, string? IpLocationName, IReadOnlyList<string> Ranges,
        string? CountryLocationId, string? CountryLocationName, IReadOnlyList<string> Countries,
        string? PolicyId, string? PolicyName, string? PolicyState, IReadOnlyList<string> PolicyLocations);

    /// <summary>What 1.e's apply journaled: the locations and policy before and after it (CaState.Describe's shape).</summary>
    private sealed record Journaled(
        string? IpLocationId, IReadOnlyList<string> AfterRanges, IReadOnlyList<string> AddedRanges, bool IpLocationCreated,
        string? CountryLocationId, IReadOnlyList<string> AfterCountries, IReadOnlyList<string> AddedCountries, bool CountryLocationCreated,
        string? PolicyId, string? PolicyState, IReadOnlyList<string> PolicyLocations, bool PolicyCreated)
    {
        public static Journaled From(OriginalStep original)
        {
            var (beforeIp, afterIp) = (Part(original.Before, "ipLocation"), Part(original.After, "ipLocation"));
            var (beforeCountry, afterCountry) = (Part(original.Before, "countryLocation"), Part(original.After, "countryLocation"));
            var (beforePolicy, afterPolicy) = (Part(original.Before, "policy"), Part(original.After, "policy"));
            var afterRanges = Strings(afterIp, "ranges");
            var afterCountries = Strings(afterCountry, "countries");
            return new Journaled(
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
}
