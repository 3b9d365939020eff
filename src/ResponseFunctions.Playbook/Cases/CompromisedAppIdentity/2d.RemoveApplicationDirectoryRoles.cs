using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;

/// <summary>
/// 2.d — Remove the Entra roles the application's service principal holds outside the role baseline (the same
/// <see cref="ContainmentPolicy.RoleBaseline"/> as 1.f): active assignments at any scope and PIM eligibilities. A service
/// principal cannot sign in interactively, so removing Global Administrator from it locks no person out; the guard's
/// principal check (break-glass, the playbook's own identity) still applies.
/// </summary>
/// <remarks>Graph: GET/DELETE /roleManagement/directory/roleAssignments?$filter=principalId eq, GET roleAssignmentScheduleInstances,
/// POST roleAssignmentScheduleRequests (adminRemove, for activated or time-bound assignments: <see cref="RoleHoldings"/>),
/// GET roleEligibilitySchedules, POST roleEligibilityScheduleRequests (adminRemove). Needs RoleManagement.ReadWrite.Directory (RoleEligibilitySchedule.ReadWrite.Directory for eligibilities).</remarks>
public sealed class RemoveApplicationDirectoryRoles(DirectoryReader directory, RoleHoldings roleHoldings, TenantGuard guard, IOptions<ContainmentPolicy> policy)
    : IContainmentAction
{
    private const string RemoveAssignment = "remove-role-assignment";
    private const string RemoveEligibility = "remove-role-eligibility";

    public ActionId Id { get; } = ActionId.Parse("2.d");

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var verdict = guard.CheckPrincipal(step.Target);
        if (!verdict.Allowed)
        {
            return Plans.Refused(step, verdict);
        }

        var roles = await ReadAsync(step.Target.Id, cancellationToken);
        var evidence = new List<Evidence>();
        var changes = new List<PlannedChange>();
        foreach (var held in roles)
        {
            var legitimate = policy.Value.AllowsRole(held.RoleDefinitionId, step.Target.Id);
            evidence.Add(new Evidence($"{(held.Eligible ? "Eligible" : "Active")} {held.RoleName}", $"scope {held.Scope}; {(legitimate ? "in the baseline: kept" : "NOT in the baseline")}"));
            if (!legitimate)
            {
                changes.Add(held.ToChange(step.Target));
            }
        }

        var warnings = policy.Value.RoleBaseline.Count == 0
            ? new List<string> { "No role baseline is configured: every role the application holds is treated as illegitimate." }
            : [];
        return changes.Count == 0
            ? Plans.NothingToDo(step, $"{step.Target.Name} holds no directory role outside the baseline.", evidence, Snapshot.Of(roles), warnings)
            : Plans.Change(step, $"Remove {changes.Count} illegitimate directory role(s) of {step.Target.Name}.", evidence, changes, warnings, Snapshot.Of(roles));
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var verdict = guard.CheckPrincipal(step.Target);
        if (!verdict.Allowed)
        {
            return Results.Refused(step, verdict);
        }

        var before = await ReadAsync(step.Target.Id, cancellationToken);
        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes)
        {
            results.Add(await ApplyChangeAsync(step.Target.Id, change, before, cancellationToken));
        }

        var after = await ReadAsync(step.Target.Id, cancellationToken);
        return Results.From(step, results, $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} role(s) removed; {after.Count} remain.", Snapshot.Of(before), Snapshot.Of(after));
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(step.Target.Id, cancellationToken);
        var left = plan.Changes.Where(c => current.Any(r => r.Matches(c))).ToList();
        return left.Count == 0
            ? Results.Verified(step, $"None of the {plan.Changes.Count} removed role(s) remains.")
            : Results.Mismatch(step, $"Still present: {string.Join("; ", left.Select(c => c.Description))}.");
    }

    private async Task<ChangeResult> ApplyChangeAsync(string principalId, PlannedChange change, IReadOnlyList<HeldRole> current, CancellationToken cancellationToken)
    {
        if (!current.Any(r => r.Matches(change)))
        {
            return new ChangeResult(change, ChangeOutcome.AlreadyDone);
        }

        return await Results.RunChangeAsync(change, async () =>
        {
            if (change.Kind == RemoveAssignment)
            {
                await roleHoldings.RemoveActiveAsync(principalId, change.ResourceId, change.Parameter("roleDefinitionId")!, change.Parameter("directoryScopeId") ?? "/",
                    "Incident containment (sheet action 2.d): role of a compromised application not in the role baseline.", cancellationToken);
            }
            else
            {
                await roleHoldings.RemoveEligibilityAsync(principalId, change.Parameter("roleDefinitionId")!, change.Parameter("directoryScopeId") ?? "/",
                    "Incident containment (sheet action 2.d): eligibility of a compromised application not in the role baseline.", cancellationToken);
            }

            return ChangeOutcome.Done;
        });
    }

    private async Task<IReadOnlyList<HeldRole>> ReadAsync(string principalId, CancellationToken cancellationToken)
    {
        var held = new List<HeldRole>();
        foreach (var a in await directory.RoleAssignmentsAsync(ODataFilter.Eq("principalId", principalId), cancellationToken))
        {
            held.Add(new HeldRole(false, a.Id!, a.RoleDefinitionId!, a.RoleDefinition?.DisplayName ?? a.RoleDefinitionId!, a.DirectoryScopeId ?? "/"));
        }

        foreach (var s in await directory.RoleEligibilitySchedulesAsync(ODataFilter.Eq("principalId", principalId), cancellationToken))
        {
            held.Add(new HeldRole(true, s.Id!, s.RoleDefinitionId!, s.RoleDefinition?.DisplayName ?? s.RoleDefinitionId!, s.DirectoryScopeId ?? "/"));
        }

        return held;
    }

    private sealed record HeldRole(bool Eligible, string Id, string RoleDefinitionId, string RoleName, string Scope)
    {
        public PlannedChange ToChange(ActionTarget app) => new(
            Eligible ? RemoveEligibility : RemoveAssignment,
            Id,
            $"Remove the {(Eligible ? "PIM eligibility" : "active assignment")} of {app.Name} for {RoleName} (scope {Scope})",
            new Dictionary<string, string> { ["roleDefinitionId"] = RoleDefinitionId, ["roleName"] = RoleName, ["directoryScopeId"] = Scope });

        public bool Matches(PlannedChange change) =>
            change.Kind == (Eligible ? RemoveEligibility : RemoveAssignment) && string.Equals(Id, change.ResourceId, StringComparison.OrdinalIgnoreCase);
    }
}
