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
/// <remarks>Graph: GET /roleManagement/directory/roleAssignments ($filter=principalId eq, or in for a wave) and
/// roleEligibilitySchedules ($filter=principalId eq, or the tenant's list for a wave), both $expand=roleDefinition,
/// GET /users/{id}/memberOf/microsoft.graph.group, DELETE /groups/{id}/members/{id}/$ref.</remarks>
public sealed class RoleGrants(GraphServiceClient graph, DirectoryReader directory, RoleHoldings roleHoldings)
{
    public async Task<IReadOnlyList<HeldRole>> ReadAsync(string principalId, bool throughGroups, CancellationToken cancellationToken)
    {
        var assignments = await directory.RoleAssignmentsAsync(ODataFilter.Eq("principalId", principalId), cancellationToken);
        var eligibilities = await directory.RoleEligibilitySchedulesAsync(ODataFilter.Eq("principalId", principalId), cancellationToken);
        if (!throughGroups)
        {
            return Held(assignments, eligibilities, [], []);
        }

        var groups = await RoleAssignableGroupsOfAsync(principalId, cancellationToken);
        var groupAssignments = new List<UnifiedRoleAssignment>();
        foreach (var group in groups)
        {
            groupAssignments.AddRange(await directory.RoleAssignmentsAsync(ODataFilter.Eq("principalId", group.Id!), cancellationToken));
        }

        return Held(assignments, eligibilities, groups, groupAssignments);
    }

    /// <summary>
    /// What <see cref="ReadAsync"/> gives for each of <paramref name="principalIds"/>, read together for a wave: active
    /// assignments in one request per <see cref="DirectoryReader.MaxInValues"/> principals (unifiedRoleAssignment's
    /// principalId supports $filter "in"); PIM eligibilities in one list of the tenant's (unifiedRoleEligibilitySchedule's
    /// principalId supports only eq and ne: one request per principal otherwise); through groups, each principal's
    /// groups (one request each: Graph has none for several principals' memberships) and the assignments of the
    /// role-assignable ones, again by "in".
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<HeldRole>>> ReadManyAsync(IReadOnlyList<string> principalIds, bool throughGroups, CancellationToken cancellationToken)
    {
        var assignments = AssignmentsOfAsync(principalIds, cancellationToken);
        var eligibilities = directory.RoleEligibilitySchedulesAsync(null, cancellationToken);
        var groups = new Dictionary<string, IReadOnlyList<Group>>(StringComparer.OrdinalIgnoreCase);
        if (throughGroups)
        {
            await Parallel.ForEachAsync(principalIds.Distinct(StringComparer.OrdinalIgnoreCase), new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = cancellationToken },
                async (id, ct) =>
                {
                    var found = await RoleAssignableGroupsOfAsync(id, ct);
                    lock (groups)
                    {
                        groups[id] = found;
                    }
                });
        }

        var groupAssignments = await AssignmentsOfAsync([.. groups.Values.SelectMany(g => g).Select(g => g.Id!)], cancellationToken);
        var all = await assignments;
        var eligible = await eligibilities;
        return principalIds.Distinct(StringComparer.OrdinalIgnoreCase).ToDictionary(
            id => id,
            id => (IReadOnlyList<HeldRole>)Held(
                [.. all.Where(a => Same(a.PrincipalId, id))],
                [.. eligible.Where(e => Same(e.PrincipalId, id))],
                groups.GetValueOrDefault(id) ?? [],
                groupAssignments),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Reads in flight at once for a wave's principals' groups.</summary>
    private const int ParallelReads = 16;

    private async Task<IReadOnlyList<UnifiedRoleAssignment>> AssignmentsOfAsync(IReadOnlyList<string> principalIds, CancellationToken cancellationToken)
    {
        var chunks = await Task.WhenAll(principalIds.Distinct(StringComparer.OrdinalIgnoreCase).Chunk(DirectoryReader.MaxInValues)
            .Select(chunk => directory.RoleAssignmentsAsync(ODataFilter.In("principalId", chunk), cancellationToken)));
        return [.. chunks.SelectMany(c => c)];
    }

    private async Task<IReadOnlyList<Group>> RoleAssignableGroupsOfAsync(string principalId, CancellationToken cancellationToken)
    {
        var groups = await graph.Users[principalId].MemberOf.GraphGroup.GetAsync(r => r.QueryParameters.Select = ["id", "displayName", "isAssignableToRole"], cancellationToken);
        return [.. (await directory.AllPagesAsync<Group, GroupCollectionResponse>(groups, cancellationToken)).Where(g => g.IsAssignableToRole == true)];
    }

    /// <summary>The grants, in the order a principal's own reads list them: active, eligible, then group by group.</summary>
    private static List<HeldRole> Held(IEnumerable<UnifiedRoleAssignment> assignments, IEnumerable<UnifiedRoleEligibilitySchedule> eligibilities,
        IReadOnlyList<Group> groups, IReadOnlyList<UnifiedRoleAssignment> groupAssignments)
    {
        var held = new List<HeldRole>();
        foreach (var assignment in assignments)
        {
            held.Add(new HeldRole(HeldKind.Active, assignment.Id!, assignment.RoleDefinitionId!, RoleName(assignment.RoleDefinition, assignment.RoleDefinitionId),
                assignment.DirectoryScopeId ?? "/", "direct assignment"));
        }

        foreach (var schedule in eligibilities)
        {
            held.Add(new HeldRole(HeldKind.Eligible, schedule.Id!, schedule.RoleDefinitionId!, RoleName(schedule.RoleDefinition, schedule.RoleDefinitionId),
                schedule.DirectoryScopeId ?? "/", $"PIM eligibility created {schedule.CreatedDateTime:u}"));
        }

        foreach (var group in groups)
        {
            foreach (var assignment in groupAssignments.Where(a => Same(a.PrincipalId, group.Id)))
            {
                held.Add(new HeldRole(HeldKind.ViaGroup, group.Id!, assignment.RoleDefinitionId!, RoleName(assignment.RoleDefinition, assignment.RoleDefinitionId),
                    assignment.DirectoryScopeId ?? "/", $"member of role-assignable group \"{group.DisplayName}\""));
            }
        }

        return held;
    }

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

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
