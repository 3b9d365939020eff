using Microsoft.Graph;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;

/// <summary>
/// 2.f — Restore the owners of the app registration and of the service principal to the application baseline: baseline
/// owners the attacker removed are added back first (the plan lists them first, so the app is never left ownerless),
/// then every other owner is removed — always through $ref, since DELETE …/owners/{id} without it would delete the user
/// itself. The sheet asks to tell the restored owner at once: the plan and the apply result name whom to notify (the
/// playbook sends no mail).
/// </summary>
/// <remarks>Graph: the reads and writes of <see cref="ApplicationOwners"/>. Permissions: the catalog row.</remarks>
public sealed class RestoreApplicationOwners(GraphServiceClient graph, ApplicationDirectory apps, ChangeRunner runner) : ContainmentAction<ApplicationOwners>(runner)
{
    public override ActionId Id { get; } = ActionId.Parse("2.f");

    protected internal override Task<ApplicationOwners> ReadAsync(StepContext step, CancellationToken cancellationToken) =>
        ApplicationOwners.ReadAsync(apps, step.Target.Id, cancellationToken);

    protected internal override string? AppIdOf(ApplicationOwners state) => state.AppId;

    protected internal override async Task<ActionPlan> PlanChangesAsync(StepContext step, ApplicationOwners current, GuardVerdict verdict, CancellationToken cancellationToken)
    {
        var app = current.DisplayName;
        var baseline = apps.Baseline(current.AppId);
        var evidence = new List<Evidence>();
        var adds = new List<PlannedChange>();
        var removes = new List<PlannedChange>();
        var warnings = new List<string>();
        foreach (var holder in current.Holders)
        {
            var wanted = holder.Object == AppObjectKind.Application ? baseline?.Owners ?? [] : baseline?.ServicePrincipalOwners ?? [];
            foreach (var owner in holder.Owners)
            {
                var legitimate = wanted.Contains(owner.Id, StringComparer.OrdinalIgnoreCase);
                evidence.Add(new Evidence($"Owner of the {holder.Where}", $"{owner.Name}; {(legitimate ? "in the baseline: kept" : "NOT in the baseline")}"));
                if (!legitimate)
                {
                    removes.Add(new RemoveOwner(owner.Id, $"Remove {owner.Name} from the owners of the {holder.Where} of {app}", holder.Object, holder.Id, owner.Name));
                }
            }

            foreach (var missing in wanted.Where(w => !holder.Owners.Any(o => ApplicationOwners.Same(o.Id, w))))
            {
                var name = (await apps.FindUserAsync(missing, cancellationToken))?.UserPrincipalName ?? missing;
                evidence.Add(new Evidence($"Owner of the {holder.Where}", $"{name}: in the baseline, MISSING"));
                adds.Add(new AddOwner(missing, $"Add {name} back as owner of the {holder.Where} of {app}", holder.Object, holder.Id, name));
            }
        }

        if (baseline is null)
        {
            warnings.Add($"No baseline for {app} ({current.AppId}): every owner is treated as illegitimate and none is restored.");
        }

        warnings.AddRange(Notifications(adds, app));
        List<PlannedChange> changes = [.. adds, .. removes];
        return changes.Count == 0
            ? Plans.NothingToDo(step, $"The owners of {app} match its baseline.", evidence, Snapshot.Of(current.Describe()), warnings)
            : Plans.Change(step, $"Restore the owners of {app}: {adds.Count} to add back, {removes.Count} to remove.", evidence, changes, warnings,
                Snapshot.Of(current.Describe()));
    }

    protected internal override async Task<ChangeOutcome> ApplyChangeAsync(StepContext step, ApplicationOwners before, PlannedChange change, CancellationToken cancellationToken)
    {
        var owner = change as OwnerChange ?? throw new ArgumentException($"2.f has no change '{change.Kind}'.", nameof(change));
        if (before.Has(owner) == owner is AddOwner)
        {
            return ChangeOutcome.AlreadyDone;
        }

        await (owner is AddOwner add ? ApplicationOwners.AddAsync(graph, add, cancellationToken) : ApplicationOwners.RemoveAsync(graph, (RemoveOwner)owner, cancellationToken));
        return ChangeOutcome.Done;
    }

    /// <summary>A 404 on an owner being added (the owner or the object gone) is a failure, not "already done".</summary>
    protected internal override bool GoneMeansDone(PlannedChange change) => change is not AddOwner;

    protected internal override string Summarize(StepContext step, ApplicationOwners before, ApplicationOwners after, IReadOnlyList<ChangeResult> results) =>
        $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} owner change(s) made.";

    /// <summary>Only the owners this apply restored are to be notified.</summary>
    protected internal override IReadOnlyList<string> ApplyWarnings(ActionPlan plan, ApplicationOwners before, IReadOnlyList<ChangeResult> results) =>
        [.. Notifications(results.Where(r => r.Change is AddOwner && r.Outcome == ChangeOutcome.Done).Select(r => r.Change), before.DisplayName)];

    protected internal override object Journaled(ApplicationOwners state) => state.Describe();

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(step, cancellationToken);
        var wrong = plan.Changes.OfType<OwnerChange>().Where(c => current.Has(c) != c is AddOwner).ToList();
        return wrong.Count == 0
            ? Results.Verified(step, "The owners match the plan.")
            : Results.Mismatch(step, $"Not as planned: {string.Join("; ", wrong.Select(c => c.Description))}.");
    }

    /// <summary>The sheet: "informer immédiatement le propriétaire rétabli" — a step for the responder, journaled with the result.</summary>
    private static IEnumerable<string> Notifications(IEnumerable<PlannedChange> restored, string? app) =>
        restored.OfType<AddOwner>().Select(c => c.OwnerName).Distinct().Select(owner =>
            $"Notify {owner} now: ownership of {app} was restored to them; ask them to check its permissions, credentials and redirect URIs.");
}
