using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;

/// <summary>
/// 2.e — Restore the "Roles and administrators" of the application: the role assignments scoped to its app registration
/// (directoryScopeId "/{application object id}"), whose holders can add credentials to it. Assignments outside the
/// application baseline's <see cref="ApplicationBaseline.ScopedRoles"/> are removed, baseline holders the attacker removed
/// are assigned again. Only an app registered in this tenant can have such assignments. Protected principals and the
/// playbook's own identity are never changed.
/// </summary>
/// <remarks>Graph: GET /applications?$filter=appId eq, GET/POST/DELETE /roleManagement/directory/roleAssignments
/// ($filter=directoryScopeId eq '/{id}'). Permissions: the catalog row.</remarks>
public sealed class RestoreAppScopedRoles(GraphServiceClient graph, ApplicationDirectory apps, TenantGuard guard) : IContainmentAction
{
    private const string RemoveScoped = "remove-scoped-role";
    private const string AddScoped = "add-scoped-role";

    public ActionId Id { get; } = ActionId.Parse("2.e");

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var verdict = guard.CheckPrincipal(step.Target);
        if (!verdict.Allowed)
        {
            return Plans.Refused(step, verdict);
        }

        var sp = await apps.GetServicePrincipalAsync(step.Target.Id, cancellationToken);
        var application = await apps.FindApplicationAsync(sp.AppId, cancellationToken);
        if (application?.Id is not { } appObjectId)
        {
            return Plans.NothingToDo(step, $"{sp.DisplayName} is registered in another tenant: no role can be scoped to it here.",
                [new Evidence("App registration in this tenant", "no")]);
        }

        var baseline = apps.Baseline(sp.AppId)?.ScopedRoles ?? [];
        var scope = "/" + appObjectId;
        var current = await ReadAsync(scope, cancellationToken);
        var evidence = new List<Evidence>();
        var changes = new List<PlannedChange>();
        var warnings = new List<string>();
        foreach (var a in current)
        {
            var legitimate = baseline.Any(e => Same(e.RoleDefinitionId, a.RoleDefinitionId) && e.Principals.Contains(a.PrincipalId, StringComparer.OrdinalIgnoreCase));
            evidence.Add(new Evidence($"{a.RoleName} scoped to {sp.DisplayName}", $"held by {a.PrincipalName}; {(legitimate ? "in the baseline: kept" : "NOT in the baseline")}"));
            if (legitimate)
            {
                continue;
            }

            if (Guarded(a.PrincipalId, a.PrincipalName, warnings))
            {
                changes.Add(new UntypedChange(RemoveScoped, a.Id, $"Remove {a.RoleName} scoped to {sp.DisplayName} from {a.PrincipalName}",
                    new Dictionary<string, string> { ["roleDefinitionId"] = a.RoleDefinitionId, ["principalId"] = a.PrincipalId, ["directoryScopeId"] = scope }));
            }
        }

        foreach (var entry in baseline)
        {
            foreach (var principal in entry.Principals.Where(p => !current.Any(a => Same(a.RoleDefinitionId, entry.RoleDefinitionId) && Same(a.PrincipalId, p))))
            {
                var name = await NameAsync(principal, cancellationToken);
                evidence.Add(new Evidence($"{entry.RoleName ?? entry.RoleDefinitionId} scoped to {sp.DisplayName}", $"{name}: in the baseline, MISSING"));
                if (Guarded(principal, name, warnings))
                {
                    changes.Add(new UntypedChange(AddScoped, principal, $"Assign {entry.RoleName ?? entry.RoleDefinitionId} scoped to {sp.DisplayName} to {name} again (baseline)",
                        new Dictionary<string, string> { ["roleDefinitionId"] = entry.RoleDefinitionId, ["principalId"] = principal, ["directoryScopeId"] = scope }));
                }
            }
        }

        if (baseline.Count == 0)
        {
            warnings.Add($"No scoped roles in the baseline of {sp.DisplayName}: every role scoped to it is treated as illegitimate.");
        }

        return changes.Count == 0
            ? Plans.NothingToDo(step, $"The roles scoped to {sp.DisplayName} match its baseline.", evidence, Snapshot.Of(current), warnings)
            : Plans.Change(step, $"Restore the roles scoped to {sp.DisplayName}: {changes.Count(c => c.Kind == RemoveScoped)} to remove, {changes.Count(c => c.Kind == AddScoped)} to restore.",
                evidence, changes, warnings, Snapshot.Of(current));
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var verdict = guard.CheckPrincipal(step.Target);
        if (!verdict.Allowed)
        {
            return Results.Refused(step, verdict);
        }

        var scopes = plan.Changes.Select(c => c.Parameter("directoryScopeId")).Distinct().ToList();
        var before = new List<ScopedAssignment>();
        foreach (var scope in scopes)
        {
            before.AddRange(await ReadAsync(scope, cancellationToken));
        }

        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes)
        {
            var principal = guard.CheckPrincipal(new ActionTarget(TargetKind.User, change.Parameter("principalId"), change.Parameter("principalId")));
            results.Add(principal.Allowed
                ? await ApplyChangeAsync(change, before, cancellationToken)
                : new ChangeResult(change, ChangeOutcome.Failed, new ErrorInfo(ErrorKind.Forbidden, "tenant-guard", principal.Reason!)));
        }

        var after = new List<ScopedAssignment>();
        foreach (var scope in scopes)
        {
            after.AddRange(await ReadAsync(scope, cancellationToken));
        }

        return Results.From(step, results, $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} scoped role change(s) made.", Snapshot.Of(before), Snapshot.Of(after));
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = new List<ScopedAssignment>();
        foreach (var scope in plan.Changes.Select(c => c.Parameter("directoryScopeId")).Distinct())
        {
            current.AddRange(await ReadAsync(scope, cancellationToken));
        }

        var wrong = plan.Changes.Where(c => c.Kind == RemoveScoped ? current.Any(a => Same(a.Id, c.ResourceId)) : !current.Any(a => Holds(a, c))).ToList();
        return wrong.Count == 0
            ? Results.Verified(step, "The roles scoped to the application match the plan.")
            : Results.Mismatch(step, $"Not as planned: {string.Join("; ", wrong.Select(c => c.Description))}.");
    }

    private async Task<ChangeResult> ApplyChangeAsync(PlannedChange change, IReadOnlyList<ScopedAssignment> current, CancellationToken cancellationToken)
    {
        try
        {
            if (change.Kind == RemoveScoped)
            {
                if (!current.Any(a => Same(a.Id, change.ResourceId)))
                {
                    return new ChangeResult(change, ChangeOutcome.AlreadyDone);
                }

                await graph.RoleManagement.Directory.RoleAssignments[change.ResourceId].DeleteAsync(cancellationToken: cancellationToken);
            }
            else
            {
                if (current.Any(a => Holds(a, change)))
                {
                    return new ChangeResult(change, ChangeOutcome.AlreadyDone);
                }

                await graph.RoleManagement.Directory.RoleAssignments.PostAsync(new UnifiedRoleAssignment
                {
                    OdataType = "#microsoft.graph.unifiedRoleAssignment",
                    PrincipalId = change.Parameter("principalId"),
                    RoleDefinitionId = change.Parameter("roleDefinitionId"),
                    DirectoryScopeId = change.Parameter("directoryScopeId"),
                }, cancellationToken: cancellationToken);
            }

            return new ChangeResult(change, ChangeOutcome.Done);
        }
        catch (ODataError error) when (change.Kind == RemoveScoped && GraphErrors.IsNotFound(error))
        {
            return new ChangeResult(change, ChangeOutcome.AlreadyDone);
        }
        catch (ODataError error) when (!GraphErrors.IsTransient(error))
        {
            return new ChangeResult(change, ChangeOutcome.Failed, GraphErrors.ToErrorInfo(error));
        }
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

    private async Task<string> NameAsync(string principalId, CancellationToken cancellationToken) =>
        (await apps.FindUserAsync(principalId, cancellationToken))?.UserPrincipalName ?? principalId;

    private async Task<IReadOnlyList<ScopedAssignment>> ReadAsync(string scope, CancellationToken cancellationToken)
    {
        var assignments = new List<ScopedAssignment>();
        foreach (var a in await apps.RoleAssignmentsAsync(ODataFilter.Eq("directoryScopeId", scope), cancellationToken))
        {
            assignments.Add(new ScopedAssignment(a.Id!, a.RoleDefinitionId!, a.RoleDefinition?.DisplayName ?? a.RoleDefinitionId!, a.PrincipalId!,
                await NameAsync(a.PrincipalId!, cancellationToken), a.DirectoryScopeId ?? scope));
        }

        return assignments;
    }

    private static bool Holds(ScopedAssignment a, PlannedChange change) =>
        Same(a.PrincipalId, change.Parameter("principalId")) && Same(a.RoleDefinitionId, change.Parameter("roleDefinitionId"))
        && Same(a.Scope, change.Parameter("directoryScopeId"));

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private sealed record ScopedAssignment(string Id, string RoleDefinitionId, string RoleName, string PrincipalId, string PrincipalName, string Scope);
}
