using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>
/// 1.f — Revoke the directory roles the account holds outside the configured role baseline: active assignments,
/// PIM eligibilities, and membership of role-assignable groups that carry a role. Legitimate roles stay. Removing
/// Global Administrator passes the two-trusted-Global-Administrators guard first.
/// </summary>
/// <remarks>Graph: GET/DELETE /roleManagement/directory/roleAssignments, GET roleAssignmentScheduleInstances, POST
/// roleAssignmentScheduleRequests (adminRemove, for activated or time-bound assignments: <see cref="RoleHoldings"/>),
/// GET roleEligibilitySchedules, POST roleEligibilityScheduleRequests (adminRemove), GET /users/{id}/memberOf, DELETE /groups/{id}/members/{id}/$ref.
/// Needs RoleManagement.ReadWrite.Directory, RoleAssignmentSchedule.ReadWrite.Directory, RoleEligibilitySchedule.ReadWrite.Directory, GroupMember.ReadWrite.All.</remarks>
public sealed class RevokeIllegitimateRoles(GraphServiceClient graph, DirectoryReader directory, RoleHoldings roleHoldings, TenantGuard guard, IOptions<ContainmentPolicy> policy)
    : IContainmentAction
{
    private const string RemoveAssignment = "remove-role-assignment";
    private const string RemoveEligibility = "remove-role-eligibility";
    private const string RemoveGroupMembership = "remove-group-membership";

    public ActionId Id { get; } = ActionId.Parse("1.f");

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var principal = guard.CheckPrincipal(step.Target);
        if (!principal.Allowed)
        {
            return Plans.Refused(step, principal);
        }

        var roles = await ReadAsync(step.Target.Id, cancellationToken);
        var evidence = new List<Evidence>();
        var warnings = new List<string>();
        var changes = new List<PlannedChange>();
        if (policy.Value.RoleBaseline.Count == 0)
        {
            warnings.Add("No role baseline is configured: every role the account holds is treated as illegitimate.");
        }

        foreach (var held in roles.All)
        {
            var legitimate = policy.Value.AllowsRole(held.RoleDefinitionId, step.Target.Id);
            evidence.Add(new Evidence($"{held.Kind} {held.RoleName}", $"{held.Via}; {(legitimate ? "in the baseline: kept" : "NOT in the baseline")}"));
            if (legitimate)
            {
                continue;
            }

            if (held.RoleDefinitionId == DirectoryReader.GlobalAdministratorRoleId && held.Kind != HeldKind.Eligible)
            {
                var verdict = await guard.CheckGlobalAdministratorLossAsync(step.Target, step.Scope, cancellationToken);
                evidence.AddRange(verdict.Evidence);
                if (!verdict.Allowed)
                {
                    warnings.Add($"Kept {held.RoleName} ({held.Via}): {verdict.Reason}");
                    continue;
                }
            }

            changes.Add(held.ToChange(step.Target));
        }

        var before = Snapshot.Of(roles.All);
        if (changes.Count == 0)
        {
            return roles.All.Any(r => !policy.Value.AllowsRole(r.RoleDefinitionId, step.Target.Id))
                ? new ActionPlan(step.Action, step.Target, PlanStatus.Refused, "Illegitimate roles found, but removing them would break a safety rule.", evidence, [], warnings) { Before = before }
                : Plans.NothingToDo(step, $"{step.Target.Name} holds no role outside the baseline.", evidence, before, warnings);
        }

        return Plans.Change(step, $"Revoke {changes.Count} illegitimate role grant(s) of {step.Target.Name}.", evidence, changes, warnings, before);
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var principal = guard.CheckPrincipal(step.Target);
        if (!principal.Allowed)
        {
            return Results.Refused(step, principal);
        }

        var before = await ReadAsync(step.Target.Id, cancellationToken);
        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes)
        {
            if (change.Parameter("roleDefinitionId") == DirectoryReader.GlobalAdministratorRoleId && change.Kind != RemoveEligibility)
            {
                var verdict = await guard.CheckGlobalAdministratorLossAsync(step.Target, step.Scope, cancellationToken);
                if (!verdict.Allowed)
                {
                    results.Add(new ChangeResult(change, ChangeOutcome.Failed, new ErrorInfo(ErrorKind.Forbidden, "tenant-guard", verdict.Reason!)));
                    continue;
                }
            }

            results.Add(await ApplyChangeAsync(step.Target.Id, change, before, cancellationToken));
        }

        var after = await ReadAsync(step.Target.Id, cancellationToken);
        return Results.From(step, results, $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} role grant(s) revoked; {after.All.Count} remain.",
            Snapshot.Of(before.All), Snapshot.Of(after.All));
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(step.Target.Id, cancellationToken);
        var left = plan.Changes.Where(c => current.All.Any(r => r.Matches(c))).ToList();
        return left.Count == 0
            ? Results.Verified(step, $"None of the {plan.Changes.Count} revoked grant(s) remains.")
            : Results.Mismatch(step, $"Still present: {string.Join("; ", left.Select(c => c.Description))}.");
    }

    private async Task<ChangeResult> ApplyChangeAsync(string userId, PlannedChange change, HeldRoles current, CancellationToken cancellationToken)
    {
        if (!current.All.Any(r => r.Matches(change)))
        {
            return new ChangeResult(change, ChangeOutcome.AlreadyDone);
        }

        return await Results.RunChangeAsync(change, async () =>
        {
            switch (change.Kind)
            {
                case RemoveAssignment:
                    await roleHoldings.RemoveActiveAsync(userId, change.ResourceId, change.Parameter("roleDefinitionId")!, change.Parameter("directoryScopeId") ?? "/",
                        "Incident containment (sheet action 1.f): assignment not in the role baseline.", cancellationToken);
                    break;
                case RemoveEligibility:
                    await roleHoldings.RemoveEligibilityAsync(userId, change.Parameter("roleDefinitionId")!, change.Parameter("directoryScopeId") ?? "/",
                        "Incident containment (sheet action 1.f): eligibility not in the role baseline.", cancellationToken);
                    break;
                case RemoveGroupMembership:
                    await graph.Groups[change.ResourceId].Members[userId].Ref.DeleteAsync(cancellationToken: cancellationToken);
                    break;
                default:
                    throw new InvalidOperationException($"1.f cannot apply '{change.Kind}'.");
            }

            return ChangeOutcome.Done;
        });
    }

    private async Task<HeldRoles> ReadAsync(string userId, CancellationToken cancellationToken)
    {
        var held = new List<HeldRole>();
        foreach (var assignment in await directory.RoleAssignmentsAsync(ODataFilter.Eq("principalId", userId), cancellationToken))
        {
            held.Add(new HeldRole(HeldKind.Active, assignment.Id!, assignment.RoleDefinitionId!, RoleName(assignment.RoleDefinition, assignment.RoleDefinitionId),
                assignment.DirectoryScopeId ?? "/", "direct assignment"));
        }

        foreach (var schedule in await directory.RoleEligibilitySchedulesAsync(ODataFilter.Eq("principalId", userId), cancellationToken))
        {
            held.Add(new HeldRole(HeldKind.Eligible, schedule.Id!, schedule.RoleDefinitionId!, RoleName(schedule.RoleDefinition, schedule.RoleDefinitionId),
                schedule.DirectoryScopeId ?? "/", $"PIM eligibility created {schedule.CreatedDateTime:u}"));
        }

        var groups = await graph.Users[userId].MemberOf.GraphGroup.GetAsync(r => r.QueryParameters.Select = ["id", "displayName", "isAssignableToRole"], cancellationToken);
        foreach (var group in (await directory.AllPagesAsync<Group, GroupCollectionResponse>(groups, cancellationToken)).Where(g => g.IsAssignableToRole == true))
        {
            foreach (var assignment in await directory.RoleAssignmentsAsync(ODataFilter.Eq("principalId", group.Id!), cancellationToken))
            {
                held.Add(new HeldRole(HeldKind.ViaGroup, group.Id!, assignment.RoleDefinitionId!, RoleName(assignment.RoleDefinition, assignment.RoleDefinitionId),
                    assignment.DirectoryScopeId ?? "/", $"member of role-assignable group \"{group.DisplayName}\""));
            }
        }

        return new HeldRoles(held);
    }

    private static string RoleName(UnifiedRoleDefinition? definition, string? id) => definition?.DisplayName ?? id ?? "unknown role";

    private sealed record HeldRoles(IReadOnlyList<HeldRole> All);

    private enum HeldKind
    {
        Active,
        Eligible,
        ViaGroup,
    }

    /// <summary>One way the user holds a role. <see cref="Id"/> is the assignment, the eligibility schedule, or the group.</summary>
    private sealed record HeldRole(HeldKind Kind, string Id, string RoleDefinitionId, string RoleName, string DirectoryScopeId, string Via)
    {
        public PlannedChange ToChange(ActionTarget user)
        {
            var parameters = new Dictionary<string, string>
            {
                ["roleDefinitionId"] = RoleDefinitionId,
                ["roleName"] = RoleName,
                ["directoryScopeId"] = DirectoryScopeId,
            };
            return Kind switch
            {
                HeldKind.Active => new PlannedChange(RemoveAssignment, Id, $"Remove the active {RoleName} assignment of {user.Name} (scope {DirectoryScopeId})", parameters),
                HeldKind.Eligible => new PlannedChange(RemoveEligibility, Id, $"Remove the PIM eligibility of {user.Name} for {RoleName} (scope {DirectoryScopeId})", parameters),
                _ => new PlannedChange(RemoveGroupMembership, Id, $"Remove {user.Name} from the role-assignable group {Id} that grants {RoleName}", parameters),
            };
        }

        public bool Matches(PlannedChange change) => change.Kind switch
        {
            RemoveAssignment => Kind == HeldKind.Active && Id == change.ResourceId,
            RemoveEligibility => Kind == HeldKind.Eligible && Id == change.ResourceId,
            RemoveGroupMembership => Kind == HeldKind.ViaGroup && Id == change.ResourceId,
            _ => false,
        };
    }
}
