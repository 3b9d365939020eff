using Microsoft.Extensions.Options;
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
/// GET roleEligibilitySchedules, POST roleEligibilityScheduleRequests (adminRemove): read and removed by <see cref="RoleGrants"/>, shared with 1.f.
/// Permissions: the catalog row.</remarks>
public sealed class RemoveApplicationDirectoryRoles(RoleGrants roles, IOptions<ContainmentPolicy> policy, ChangeRunner runner)
    : ContainmentAction<IReadOnlyList<HeldRole>>(runner)
{
    private const string Justification = "Incident containment (sheet action 2.d): role of a compromised application";

    public override ActionId Id { get; } = ActionId.Parse("2.d");

    protected internal override Task<IReadOnlyList<HeldRole>> ReadAsync(StepContext step, CancellationToken cancellationToken) =>
        roles.ReadAsync(step.Target.Id, throughGroups: false, cancellationToken);

    protected override ActionPlan Plan(StepContext step, IReadOnlyList<HeldRole> held, GuardVerdict verdict)
    {
        var evidence = new List<Evidence>();
        var changes = new List<PlannedChange>();
        foreach (var role in held)
        {
            var legitimate = policy.Value.AllowsRole(role.RoleDefinitionId, step.Target.Id);
            evidence.Add(new Evidence($"{(role.Kind == HeldKind.Eligible ? "Eligible" : "Active")} {role.RoleName}",
                $"scope {role.DirectoryScopeId}; {(legitimate ? "in the baseline: kept" : "NOT in the baseline")}"));
            if (!legitimate)
            {
                changes.Add(role.ToChange(step.Target.Name));
            }
        }

        var warnings = policy.Value.RoleBaseline.Count == 0
            ? new List<string> { "No role baseline is configured: every role the application holds is treated as illegitimate." }
            : [];
        var before = Snapshot.Of(Journaled(held));
        return changes.Count == 0
            ? Plans.NothingToDo(step, $"{step.Target.Name} holds no directory role outside the baseline.", evidence, before, warnings)
            : Plans.Change(step, $"Remove {changes.Count} illegitimate directory role(s) of {step.Target.Name}.", evidence, changes, warnings, before);
    }

    protected internal override Task<ChangeOutcome> ApplyChangeAsync(StepContext step, IReadOnlyList<HeldRole> before, PlannedChange change, CancellationToken cancellationToken) =>
        roles.RemoveAsync(step.Target.Id, change, before, Justification, cancellationToken);

    protected internal override string Summarize(StepContext step, IReadOnlyList<HeldRole> before, IReadOnlyList<HeldRole> after, IReadOnlyList<ChangeResult> results) =>
        $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} role(s) removed; {after.Count} remain.";

    /// <summary>2.d's journaled shape, as release reads it: eligible, id, roleDefinitionId, roleName, scope.</summary>
    protected internal override object Journaled(IReadOnlyList<HeldRole> held) =>
        held.Select(r => new ApplicationRole(r.Kind == HeldKind.Eligible, r.Id, r.RoleDefinitionId, r.RoleName, r.DirectoryScopeId)).ToList();

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(step, cancellationToken);
        var left = plan.Changes.Where(c => current.Any(r => r.Matches(c))).ToList();
        return left.Count == 0
            ? Results.Verified(step, $"None of the {plan.Changes.Count} removed role(s) remains.")
            : Results.Mismatch(step, $"Still present: {string.Join("; ", left.Select(c => c.Description))}.");
    }
}

/// <summary>A directory role the application's service principal holds, as 2.d journals it before and after.</summary>
public sealed record ApplicationRole(bool Eligible, string Id, string RoleDefinitionId, string RoleName, string Scope);
