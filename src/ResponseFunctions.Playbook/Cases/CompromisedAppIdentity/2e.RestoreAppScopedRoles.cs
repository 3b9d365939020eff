using Microsoft.Graph;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;

/// <summary>
/// 2.e — Restore the "Roles and administrators" of the application: the role assignments scoped to its app registration
/// (directoryScopeId "/{application object id}"), whose holders can add credentials to it. Assignments outside the
/// application baseline's <see cref="ApplicationBaseline.ScopedRoles"/> are removed, baseline holders the attacker removed
/// are assigned again. Only an app registered in this tenant can have such assignments. Protected principals and the
/// playbook's own identity are never changed: left out of the plan, and each change's holder is checked again at apply.
/// </summary>
/// <remarks>Graph: the reads and writes of <see cref="AppScopedRoles"/>. Permissions: the catalog row.</remarks>
public sealed class RestoreAppScopedRoles(GraphServiceClient graph, ApplicationDirectory apps, TenantGuard guard, ChangeRunner runner)
    : ContainmentAction<AppScopedRoles>(runner)
{
    public override ActionId Id { get; } = ActionId.Parse("2.e");

    protected internal override Task<AppScopedRoles> ReadAsync(StepContext step, CancellationToken cancellationToken) =>
        AppScopedRoles.ReadAsync(apps, step.Target.Id, cancellationToken);

    protected internal override async Task<ActionPlan> PlanChangesAsync(StepContext step, AppScopedRoles current, GuardVerdict verdict, CancellationToken cancellationToken)
    {
        if (current.Scope is not { } scope)
        {
            return Plans.NothingToDo(step, $"{current.DisplayName} is registered in another tenant: no role can be scoped to it here.",
                [new Evidence("App registration in this tenant", "no")]);
        }

        var name = current.DisplayName;
        var baseline = apps.Baseline(current.AppId)?.ScopedRoles ?? [];
        var evidence = new List<Evidence>();
        var changes = new List<PlannedChange>();
        var warnings = new List<string>();
        foreach (var a in current.Assignments)
        {
            var legitimate = baseline.Any(e => AppScopedRoles.Same(e.RoleDefinitionId, a.RoleDefinitionId) && e.Principals.Contains(a.PrincipalId, StringComparer.OrdinalIgnoreCase));
            evidence.Add(new Evidence($"{a.RoleName} scoped to {name}", $"held by {a.PrincipalName}; {(legitimate ? "in the baseline: kept" : "NOT in the baseline")}"));
            if (!legitimate && Guarded(a.PrincipalId, a.PrincipalName, warnings))
            {
                changes.Add(new RemoveScopedRole(a.Id, $"Remove {a.RoleName} scoped to {name} from {a.PrincipalName}", a.RoleDefinitionId, a.PrincipalId, scope));
            }
        }

        foreach (var entry in baseline)
        {
            foreach (var principal in entry.Principals.Where(p => !current.Assignments.Any(a => AppScopedRoles.Same(a.RoleDefinitionId, entry.RoleDefinitionId) && AppScopedRoles.Same(a.PrincipalId, p))))
            {
                var holder = await AppScopedRoles.NameAsync(apps, principal, cancellationToken);
                var role = entry.RoleName ?? entry.RoleDefinitionId;
                evidence.Add(new Evidence($"{role} scoped to {name}", $"{holder}: in the baseline, MISSING"));
                if (Guarded(principal, holder, warnings))
                {
                    changes.Add(new AddScopedRole(principal, $"Assign {role} scoped to {name} to {holder} again (baseline)", entry.RoleDefinitionId, principal, scope));
                }
            }
        }

        if (baseline.Count == 0)
        {
            warnings.Add($"No scoped roles in the baseline of {name}: every role scoped to it is treated as illegitimate.");
        }

        var before = Snapshot.Of(current.Assignments);
        return changes.Count == 0
            ? Plans.NothingToDo(step, $"The roles scoped to {name} match its baseline.", evidence, before, warnings)
            : Plans.Change(step, $"Restore the roles scoped to {name}: {changes.Count(c => c is RemoveScopedRole)} to remove, {changes.Count(c => c is AddScopedRole)} to restore.",
                evidence, changes, warnings, before);
    }

    /// <summary>The holder may have become protected since the plan: checked again for each change.</summary>
    protected internal override Task<GuardVerdict?> CheckChangeAsync(StepContext step, PlannedChange change, CancellationToken cancellationToken) =>
        Task.FromResult<GuardVerdict?>(change is ScopedRoleChange scoped ? guard.CheckPrincipal(new ActionTarget(TargetKind.User, scoped.PrincipalId, scoped.PrincipalId)) : null);

    protected internal override async Task<ChangeOutcome> ApplyChangeAsync(StepContext step, AppScopedRoles before, PlannedChange change, CancellationToken cancellationToken)
    {
        if (!before.Needs(change))
        {
            return ChangeOutcome.AlreadyDone;
        }

        await (change switch
        {
            RemoveScopedRole remove => AppScopedRoles.RemoveAsync(graph, remove, cancellationToken),
            AddScopedRole add => AppScopedRoles.AddAsync(graph, add, cancellationToken),
            _ => throw new ArgumentException($"2.e has no change '{change.Kind}'.", nameof(change)),
        });
        return ChangeOutcome.Done;
    }

    /// <summary>A 404 on an assignment being added (its holder gone) is a failure, not "already done".</summary>
    protected internal override bool GoneMeansDone(PlannedChange change) => change is not AddScopedRole;

    protected internal override string Summarize(StepContext step, AppScopedRoles before, AppScopedRoles after, IReadOnlyList<ChangeResult> results) =>
        $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} scoped role change(s) made.";

    /// <summary>2.e's journaled shape: the scoped assignments (id, roleDefinitionId, roleName, principalId, principalName, scope).</summary>
    protected internal override object Journaled(AppScopedRoles state) => state.Assignments;

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(step, cancellationToken);
        var wrong = plan.Changes.Where(current.Needs).ToList();
        return wrong.Count == 0
            ? Results.Verified(step, "The roles scoped to the application match the plan.")
            : Results.Mismatch(step, $"Not as planned: {string.Join("; ", wrong.Select(c => c.Description))}.");
    }

    private bool Guarded(string principalId, string name, List<string> warnings)
    {
        var verdict = guard.CheckPrincipal(new ActionTarget(TargetKind.User, principalId, name));
        if (!verdict.Allowed)
        {
            warnings.Add($"Left as is: {verdict.Reason}");
        }

        return verdict.Allowed;
    }
}
