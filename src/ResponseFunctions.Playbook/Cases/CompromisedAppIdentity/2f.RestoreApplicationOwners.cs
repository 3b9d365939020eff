using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;

/// <summary>
/// 2.f — Restore the owners of the app registration and of the service principal to the application baseline: baseline
/// owners the attacker removed are added back first (so the app is never left ownerless), then every other owner is
/// removed — always through $ref, since DELETE …/owners/{id} without it would delete the user itself. The sheet asks to
/// tell the restored owner at once: the plan and the apply result name whom to notify (the playbook sends no mail).
/// </summary>
/// <remarks>Graph: GET /applications/{id}/owners, /servicePrincipals/{id}/owners; POST …/owners/$ref; DELETE …/owners/{id}/$ref.
/// Permissions: the catalog row.</remarks>
public sealed class RestoreApplicationOwners(GraphServiceClient graph, ApplicationDirectory apps, TenantGuard guard) : IContainmentAction
{
    private const string AddOwner = "add-owner";
    private const string RemoveOwner = "remove-owner";

    public ActionId Id { get; } = ActionId.Parse("2.f");

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var verdict = guard.CheckPrincipal(step.Target);
        if (!verdict.Allowed)
        {
            return Plans.Refused(step, verdict);
        }

        var sp = await apps.GetServicePrincipalAsync(step.Target.Id, cancellationToken);
        if (guard.CheckApplication(step.Target, sp.AppId) is { Allowed: false } approvalApp)
        {
            return Plans.Refused(step, approvalApp);
        }

        var baseline = apps.Baseline(sp.AppId);
        var current = await ReadAsync(sp, cancellationToken);
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
                    removes.Add(Change(RemoveOwner, holder, owner.Id, owner.Name, $"Remove {owner.Name} from the owners of the {holder.Where} of {sp.DisplayName}"));
                }
            }

            foreach (var missing in wanted.Where(w => !holder.Owners.Any(o => Same(o.Id, w))))
            {
                var name = await NameAsync(missing, cancellationToken);
                evidence.Add(new Evidence($"Owner of the {holder.Where}", $"{name}: in the baseline, MISSING"));
                adds.Add(Change(AddOwner, holder, missing, name, $"Add {name} back as owner of the {holder.Where} of {sp.DisplayName}"));
            }
        }

        if (baseline is null)
        {
            warnings.Add($"No baseline for {sp.DisplayName} ({sp.AppId}): every owner is treated as illegitimate and none is restored.");
        }

        warnings.AddRange(Notifications(adds, sp.DisplayName));
        var changes = adds.Concat(removes).ToList();
        return changes.Count == 0
            ? Plans.NothingToDo(step, $"The owners of {sp.DisplayName} match its baseline.", evidence, Snapshot.Of(current.Describe()), warnings)
            : Plans.Change(step, $"Restore the owners of {sp.DisplayName}: {adds.Count} to add back, {removes.Count} to remove.", evidence, changes, warnings,
                Snapshot.Of(current.Describe()));
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var verdict = guard.CheckPrincipal(step.Target);
        if (!verdict.Allowed)
        {
            return Results.Refused(step, verdict);
        }

        var sp = await apps.GetServicePrincipalAsync(step.Target.Id, cancellationToken);
        if (guard.CheckApplication(step.Target, sp.AppId) is { Allowed: false } approvalApp)
        {
            return Results.Refused(step, approvalApp);
        }

        var before = await ReadAsync(sp, cancellationToken);
        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes.OrderBy(c => c.Kind == AddOwner ? 0 : 1))
        {
            results.Add(await ApplyChangeAsync(change, before, cancellationToken));
        }

        var after = await ReadAsync(sp, cancellationToken);
        var restored = results.Where(r => r.Change.Kind == AddOwner && r.Outcome == ChangeOutcome.Done).Select(r => r.Change).ToList();
        return Results.From(step, results, $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} owner change(s) made.",
            Snapshot.Of(before.Describe()), Snapshot.Of(after.Describe()), [.. Notifications(restored, sp.DisplayName)]);
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(await apps.GetServicePrincipalAsync(step.Target.Id, cancellationToken), cancellationToken);
        var wrong = plan.Changes.Where(c => current.Has(c) != (c.Kind == AddOwner)).ToList();
        return wrong.Count == 0
            ? Results.Verified(step, "The owners match the plan.")
            : Results.Mismatch(step, $"Not as planned: {string.Join("; ", wrong.Select(c => c.Description))}.");
    }

    /// <summary>The sheet: "informer immédiatement le propriétaire rétabli" — a step for the responder, journaled with the result.</summary>
    private static IEnumerable<string> Notifications(IEnumerable<PlannedChange> restored, string? app) =>
        restored.Select(c => c.Parameter("ownerName")).Distinct().Select(owner =>
            $"Notify {owner} now: ownership of {app} was restored to them; ask them to check its permissions, credentials and redirect URIs.");

    private async Task<ChangeResult> ApplyChangeAsync(PlannedChange change, Owners current, CancellationToken cancellationToken)
    {
        if (current.Has(change) == (change.Kind == AddOwner))
        {
            return new ChangeResult(change, ChangeOutcome.AlreadyDone);
        }

        var objectId = change.Parameter("objectId");
        var isApplication = Enum.Parse<AppObjectKind>(change.Parameter("object")) == AppObjectKind.Application;
        try
        {
            if (change.Kind == AddOwner)
            {
                var reference = new ReferenceCreate { OdataId = $"https://graph.microsoft.com/v1.0/directoryObjects/{change.ResourceId}" };
                await (isApplication
                    ? graph.Applications[objectId].Owners.Ref.PostAsync(reference, cancellationToken: cancellationToken)
                    : graph.ServicePrincipals[objectId].Owners.Ref.PostAsync(reference, cancellationToken: cancellationToken));
            }
            else
            {
                await (isApplication
                    ? graph.Applications[objectId].Owners[change.ResourceId].Ref.DeleteAsync(cancellationToken: cancellationToken)
                    : graph.ServicePrincipals[objectId].Owners[change.ResourceId].Ref.DeleteAsync(cancellationToken: cancellationToken));
            }

            return new ChangeResult(change, ChangeOutcome.Done);
        }
        catch (ODataError error) when (change.Kind == RemoveOwner && GraphErrors.IsNotFound(error))
        {
            return new ChangeResult(change, ChangeOutcome.AlreadyDone);
        }
        catch (ODataError error) when (!GraphErrors.IsTransient(error))
        {
            return new ChangeResult(change, ChangeOutcome.Failed, GraphErrors.ToErrorInfo(error));
        }
    }

    private static PlannedChange Change(string kind, OwnedObject holder, string ownerId, string ownerName, string description) => new UntypedChange(kind, ownerId, description,
        new Dictionary<string, string> { ["object"] = holder.Object.ToString(), ["objectId"] = holder.Id, ["ownerName"] = ownerName });

    private async Task<string> NameAsync(string id, CancellationToken cancellationToken) =>
        (await apps.FindUserAsync(id, cancellationToken))?.UserPrincipalName ?? id;

    private async Task<Owners> ReadAsync(ServicePrincipal sp, CancellationToken cancellationToken)
    {
        var holders = new List<OwnedObject>();
        if ((await apps.FindApplicationAsync(sp.AppId, cancellationToken))?.Id is { } appObjectId)
        {
            holders.Add(new OwnedObject(AppObjectKind.Application, appObjectId, await ListAsync(AppObjectKind.Application, appObjectId, cancellationToken)));
        }

        holders.Add(new OwnedObject(AppObjectKind.ServicePrincipal, sp.Id!, await ListAsync(AppObjectKind.ServicePrincipal, sp.Id!, cancellationToken)));
        return new Owners(holders);
    }

    private async Task<IReadOnlyList<Owner>> ListAsync(AppObjectKind kind, string id, CancellationToken cancellationToken) =>
        [.. (await apps.OwnersAsync(kind, id, cancellationToken)).Select(o => new Owner(o.Id!, ApplicationDirectory.NameOf(o)))];

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private sealed record Owner(string Id, string Name);

    private sealed record OwnedObject(AppObjectKind Object, string Id, IReadOnlyList<Owner> Owners)
    {
        public string Where => Object == AppObjectKind.Application ? "app registration" : "service principal";
    }

    private sealed record Owners(IReadOnlyList<OwnedObject> Holders)
    {
        public bool Has(PlannedChange change) => Holders.Any(h =>
            h.Object.ToString() == change.Parameter("object") && Same(h.Id, change.Parameter("objectId")) && h.Owners.Any(o => Same(o.Id, change.ResourceId)));

        public object Describe() => Holders.Select(h => new { @object = h.Object.ToString(), id = h.Id, owners = h.Owners });
    }
}
