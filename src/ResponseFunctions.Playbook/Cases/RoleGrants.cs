using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Graph;

namespace ResponseFunctions.Playbook.Cases;

/// <summary>Remove one active directory role assignment (through its PIM schedule when PIM manages it).</summary>
public sealed record RemoveRoleAssignment(string ResourceId, string Description, string RoleDefinitionId, string RoleName, string DirectoryScopeId)
    : PlannedChange(ResourceId, Description), IRemovesRole;

/// <summary>Remove one PIM eligibility (adminRemove).</summary>
public sealed record RemoveRoleEligibility(string ResourceId, string Description, string RoleDefinitionId, string RoleName, string DirectoryScopeId)
    : PlannedChange(ResourceId, Description), IRemovesRole;

/// <summary>Remove the principal from a role-assignable group (<see cref="PlannedChange.ResourceId"/>) that carries a role.</summary>
public sealed record RemoveRoleGroupMembership(string ResourceId, string Description, string RoleDefinitionId, string RoleName, string DirectoryScopeId)
    : PlannedChange(ResourceId, Description), IRemovesRole;

public enum HeldKind
{
    Active,
    Eligible,
    ViaGroup,
}

/// <summary>One way a principal holds a role. <see cref="Id"/> is the assignment, the eligibility schedule, or the group.</summary>
public sealed record HeldRole(HeldKind Kind, string Id, string RoleDefinitionId, string RoleName, string DirectoryScopeId, string Via)
{
    /// <summary>The change that takes this grant away; <paramref name="who"/> is the principal's name as the approver reads it.</summary>
    public PlannedChange ToChange(string who) => Kind switch
    {
        HeldKind.Active => new RemoveRoleAssignment(Id, $"Remove the active {RoleName} assignment of {who} (scope {DirectoryScopeId})", RoleDefinitionId, RoleName, DirectoryScopeId),
        HeldKind.Eligible => new RemoveRoleEligibility(Id, $"Remove the PIM eligibility of {who} for {RoleName} (scope {DirectoryScopeId})", RoleDefinitionId, RoleName, DirectoryScopeId),
        _ => new RemoveRoleGroupMembership(Id, $"Remove {who} from the role-assignable group {Id} that grants {RoleName}", RoleDefinitionId, RoleName, DirectoryScopeId),
    };

    public bool Matches(PlannedChange change) => change switch
    {
        RemoveRoleAssignment => Kind == HeldKind.Active && string.Equals(Id, change.ResourceId, StringComparison.OrdinalIgnoreCase),
        RemoveRoleEligibility => Kind == HeldKind.Eligible && string.Equals(Id, change.ResourceId, StringComparison.OrdinalIgnoreCase),
        RemoveRoleGroupMembership => Kind == HeldKind.ViaGroup && string.Equals(Id, change.ResourceId, StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}

/// <summary>
/// The directory roles a principal holds and their removal, one service for 1.f (users) and 2.d (service
/// principals): active assignments, PIM eligibilities and, for users, role-assignable groups that carry a role.
/// Removal goes through <see cref="RoleHoldings"/>, which knows when PIM manages an assignment.
/// </summary>
/// <remarks>Graph: GET /roleManagement/directory/roleAssignments and roleEligibilitySchedules ($filter=principalId eq,
/// $expand=roleDefinition), GET /users/{id}/memberOf/microsoft.graph.group, DELETE /groups/{id}/members/{id}/$ref.</remarks>
public sealed class RoleGrants(GraphServiceClient graph, DirectoryReader directory, RoleHoldings roleHoldings)
{
    public async Task<IReadOnlyList<HeldRole>> ReadAsync(string principalId, bool throughGroups, CancellationToken cancellationToken)
    {
        var held = new List<HeldRole>();
        foreach (var assignment in await directory.RoleAssignmentsAsync(ODataFilter.Eq("principalId", principalId), cancellationToken))
        {
            held.Add(new HeldRole(HeldKind.Active, assignment.Id!, assignment.RoleDefinitionId!, RoleName(assignment.RoleDefinition, assignment.RoleDefinitionId),
                assignment.DirectoryScopeId ?? "/", "direct assignment"));
        }

        foreach (var schedule in await directory.RoleEligibilitySchedulesAsync(ODataFilter.Eq("principalId", principalId), cancellationToken))
        {
            held.Add(new HeldRole(HeldKind.Eligible, schedule.Id!, schedule.RoleDefinitionId!, RoleName(schedule.RoleDefinition, schedule.RoleDefinitionId),
                schedule.DirectoryScopeId ?? "/", $"PIM eligibility created {schedule.CreatedDateTime:u}"));
        }

        if (!throughGroups)
        {
            return held;
        }

        var groups = await graph.Users[principalId].MemberOf.GraphGroup.GetAsync(r => r.QueryParameters.Select = ["id", "displayName", "isAssignableToRole"], cancellationToken);
        foreach (var group in (await directory.AllPagesAsync<Group, GroupCollectionResponse>(groups, cancellationToken)).Where(g => g.IsAssignableToRole == true))
        {
            foreach (var assignment in await directory.RoleAssignmentsAsync(ODataFilter.Eq("principalId", group.Id!), cancellationToken))
            {
                held.Add(new HeldRole(HeldKind.ViaGroup, group.Id!, assignment.RoleDefinitionId!, RoleName(assignment.RoleDefinition, assignment.RoleDefinitionId),
                    assignment.DirectoryScopeId ?? "/", $"member of role-assignable group \"{group.DisplayName}\""));
            }
        }

        return held;
    }

    /// <summary>Takes one grant away; <see cref="ChangeOutcome.AlreadyDone"/> when <paramref name="current"/> no longer holds it.</summary>
    public async Task<ChangeOutcome> RemoveAsync(string principalId, PlannedChange change, IReadOnlyList<HeldRole> current, string justification, CancellationToken cancellationToken)
    {
        if (!current.Any(r => r.Matches(change)))
        {
            return ChangeOutcome.AlreadyDone;
        }

        switch (change)
        {
            case RemoveRoleAssignment assignment:
                await roleHoldings.RemoveActiveAsync(principalId, assignment.ResourceId, assignment.RoleDefinitionId, assignment.DirectoryScopeId,
                    $"{justification}: assignment not in the role baseline.", cancellationToken);
                break;
            case RemoveRoleEligibility eligibility:
                await roleHoldings.RemoveEligibilityAsync(principalId, eligibility.RoleDefinitionId, eligibility.DirectoryScopeId,
                    $"{justification}: eligibility not in the role baseline.", cancellationToken);
                break;
            case RemoveRoleGroupMembership membership:
                await graph.Groups[membership.ResourceId].Members[principalId].Ref.DeleteAsync(cancellationToken: cancellationToken);
                break;
            default:
                throw new ArgumentException($"{change.Kind} does not remove a directory role.", nameof(change));
        }

        return ChangeOutcome.Done;
    }

    private static string RoleName(UnifiedRoleDefinition? definition, string? id) => definition?.DisplayName ?? id ?? "unknown role";
}
