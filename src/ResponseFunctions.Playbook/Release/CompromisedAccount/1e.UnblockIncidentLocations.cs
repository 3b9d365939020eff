using Microsoft.Graph;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Release.CompromisedAccount;

/// <summary>
/// Release of 1.e — take this incident's addresses and countries out of the incident named locations, and delete the
/// block policy (then its emptied locations) only when no other open incident needs it: when the locations would be
/// left empty. What was there before the containment, what someone added since and what another open incident blocks
/// stay; a policy changed since the containment (state, locations) is never deleted: the plan shows the difference.
/// </summary>
/// <remarks>Graph: GET/PATCH/DELETE /identity/conditionalAccess/namedLocations/{id}, GET/DELETE
/// /identity/conditionalAccess/policies/{id} (Policy.Read.All + Policy.ReadWrite.ConditionalAccess), as 1.e. A named
/// location a policy references cannot be deleted, so the policy goes first. Split: <see cref="IncidentLocationsJournaled"/>
/// (what this incident added), <see cref="IncidentLocationsNow"/> (the state now), <see cref="BlockPolicyFate"/> (delete
/// the policy or keep it), <see cref="IncidentLocationEdits"/> (the changes and their apply).</remarks>
public sealed class UnblockIncidentLocations(GraphServiceClient graph) : IReleaseAction
{
    public ActionId Id { get; } = ActionId.Parse("1.e");

    public async Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken)
    {
        var journaled = IncidentLocationsJournaled.From(original);
        var now = await IncidentLocationsNow.ReadAsync(graph, journaled, cancellationToken);
        var evidence = new List<Evidence>
        {
            new("Containment entry", original.EntryId),
            new("Added by this incident", string.Join(", ", journaled.AddedRanges.Concat(journaled.AddedCountries)) is { Length: > 0 } added ? added : "nothing"),
            new("Named locations now", $"{string.Join(", ", now.Ranges)} {string.Join(", ", now.Countries)}".Trim() is { Length: > 0 } n ? n : "none"),
        };
        var warnings = new List<string>();

        // What this incident added, less what another open incident blocks too and what is already out.
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

        var policyDrift = now.PolicyDrift(journaled);
        if (policyDrift.Count > 0)
        {
            evidence.Add(new("Policy changed since the containment", string.Join("; ", policyDrift)));
        }

        var changes = new List<PlannedChange>();
        if (BlockPolicyFate.Decide(journaled, now, ranges, countries, policyDrift, changes, warnings))
        {
            ranges.Clear();
            countries.Clear();
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
        var journaled = IncidentLocationsJournaled.From(original);
        var before = await IncidentLocationsNow.ReadAsync(graph, journaled, cancellationToken);
        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes)
        {
            results.Add(await Results.RunChangeAsync(change, async () =>
                await IncidentLocationEdits.ApplyAsync(graph, change, await IncidentLocationsNow.ReadAsync(graph, journaled, cancellationToken), cancellationToken)));
        }

        var after = await IncidentLocationsNow.ReadAsync(graph, journaled, cancellationToken);
        return Results.From(step.Step, results, "This incident's locations are no longer blocked.", Snapshot.Of(before), Snapshot.Of(after), plan.Warnings);
    }

    public async Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var now = await IncidentLocationsNow.ReadAsync(graph, IncidentLocationsJournaled.From(original), cancellationToken);
        var left = plan.Changes.Where(c => c.Kind is IncidentLocationEdits.RemoveRanges or IncidentLocationEdits.RemoveCountries).SelectMany(IncidentLocationEdits.Values)
            .Where(v => now.Ranges.Concat(now.Countries).Contains(v, StringComparer.OrdinalIgnoreCase)).ToList();
        var deletesPolicy = plan.Changes.Any(c => c.Kind == IncidentLocationEdits.DeletePolicy);
        var policyLeft = deletesPolicy && now.PolicyId is not null;
        return left.Count == 0 && !policyLeft
            ? Results.Verified(step.Step, "The incident's locations are no longer blocked" + (deletesPolicy ? "; the block policy is gone." : "."))
            : Results.Mismatch(step.Step, $"Still blocked: {string.Join(", ", left)}{(policyLeft ? " (the block policy is still there)" : string.Empty)}.");
    }
}
