using Microsoft.Graph;
using Microsoft.Graph.Models;

namespace ResponseFunctions.Playbook.Graph;

/// <summary>
/// Removes a principal's directory role grants the way the service accepts: a plain active assignment by DELETE on
/// roleAssignments; one PIM manages through a schedule (activated, or time-bound) by a roleAssignmentScheduleRequest
/// adminRemove; an eligibility by a roleEligibilityScheduleRequest adminRemove. Shared by 1.f and 2.d.
/// </summary>
/// <remarks>Sources: Graph v1.0 "Create roleAssignmentScheduleRequests" and "Create roleEligibilityScheduleRequests"
/// (action adminRemove), "List roleAssignmentScheduleInstances" (assignmentType Assigned|Activated, endDateTime,
/// roleAssignmentOriginId); ../shared/reference/microsoft-apis.md §1.f and §10b. The service refuses the DELETE for
/// schedule-managed assignments. Needs RoleAssignmentSchedule.ReadWrite.Directory and RoleEligibilitySchedule.ReadWrite.Directory.</remarks>
public sealed class RoleHoldings(GraphServiceClient graph, DirectoryReader directory)
{
    /// <summary>The ids of the principal's active assignments that come from a PIM schedule (activated or time-bound).</summary>
    public async Task<IReadOnlySet<string>> ScheduledAssignmentIdsAsync(string principalId, CancellationToken cancellationToken)
    {
        var page = await graph.RoleManagement.Directory.RoleAssignmentScheduleInstances.GetAsync(
            r => r.QueryParameters.Filter = ODataFilter.Eq("principalId", principalId), cancellationToken);
        var instances = await directory.AllPagesAsync<UnifiedRoleAssignmentScheduleInstance, UnifiedRoleAssignmentScheduleInstanceCollectionResponse>(page, cancellationToken);
        return instances
            .Where(i => string.Equals(i.AssignmentType, "Activated", StringComparison.OrdinalIgnoreCase) || i.EndDateTime is not null)
            .SelectMany(i => new[] { i.RoleAssignmentOriginId, i.Id })
            .OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Removes one active assignment: through its schedule when PIM manages it, else by DELETE.</summary>
    public async Task RemoveActiveAsync(string principalId, string assignmentId, string roleDefinitionId, string directoryScopeId, string justification, CancellationToken cancellationToken)
    {
        if ((await ScheduledAssignmentIdsAsync(principalId, cancellationToken)).Contains(assignmentId))
        {
            await graph.RoleManagement.Directory.RoleAssignmentScheduleRequests.PostAsync(
                new UnifiedRoleAssignmentScheduleRequest
                {
                    Action = UnifiedRoleScheduleRequestActions.AdminRemove,
                    PrincipalId = principalId,
                    RoleDefinitionId = roleDefinitionId,
                    DirectoryScopeId = directoryScopeId,
                    Justification = justification,
                },
                cancellationToken: cancellationToken);
            return;
        }

        await graph.RoleManagement.Directory.RoleAssignments[assignmentId].DeleteAsync(cancellationToken: cancellationToken);
    }

    /// <summary>Removes a PIM eligibility.</summary>
    public async Task RemoveEligibilityAsync(string principalId, string roleDefinitionId, string directoryScopeId, string justification, CancellationToken cancellationToken) =>
        await graph.RoleManagement.Directory.RoleEligibilityScheduleRequests.PostAsync(
            new UnifiedRoleEligibilityScheduleRequest
            {
                Action = UnifiedRoleScheduleRequestActions.AdminRemove,
                PrincipalId = principalId,
                RoleDefinitionId = roleDefinitionId,
                DirectoryScopeId = directoryScopeId,
                Justification = justification,
            },
            cancellationToken: cancellationToken);
}
