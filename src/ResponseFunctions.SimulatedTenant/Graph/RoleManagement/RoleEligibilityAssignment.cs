using Microsoft.Graph.Models;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Graph.RoleManagement;

/// <summary>
/// roleEligibilityScheduleRequests with action adminAssign: a new PIM eligibility (what a release re-grants after two
/// approvals). principalId, roleDefinitionId, directoryScopeId and scheduleInfo are required; an eligibility that already
/// exists for the same principal, role and scope is refused with RoleAssignmentExists; the request is Provisioned at once.
/// </summary>
/// <remarks>Source: Graph v1.0 "Create roleEligibilityScheduleRequests" (example "Request to create an eligibility schedule",
/// scheduleInfo.expiration.type noExpiration, status Provisioned) and "unifiedRoleEligibilityScheduleRequest" (action enum);
/// ../shared/reference/microsoft-apis.md §1.f.</remarks>
internal static class RoleEligibilityAssignment
{
    public static GraphResponse Assign(GraphRequest request, UnifiedRoleEligibilityScheduleRequest body, string root)
    {
        if (string.IsNullOrWhiteSpace(body.PrincipalId) || string.IsNullOrWhiteSpace(body.RoleDefinitionId) || string.IsNullOrWhiteSpace(body.DirectoryScopeId))
        {
            throw GraphException.BadRequest("principalId, roleDefinitionId and directoryScopeId are required.");
        }

        if (body.ScheduleInfo is null)
        {
            throw GraphException.BadRequest("scheduleInfo is required for an adminAssign request.");
        }

        var recorded = request.State.Mutate(m =>
        {
            if (m.FindRoleDefinition(body.RoleDefinitionId) is null)
            {
                throw GraphException.BadRequest($"The role definition '{body.RoleDefinitionId}' does not exist.");
            }

            if (m.FindUser(body.PrincipalId) is null && m.FindGroup(body.PrincipalId) is null
                && !m.ServicePrincipals.Any(s => string.Equals(s.Id, body.PrincipalId, StringComparison.OrdinalIgnoreCase)))
            {
                throw GraphException.DirectoryObjectNotFound(body.PrincipalId);
            }

            if (m.RoleEligibilitySchedules.Any(s => string.Equals(s.PrincipalId, body.PrincipalId, StringComparison.OrdinalIgnoreCase)
                                                    && string.Equals(s.RoleDefinitionId, body.RoleDefinitionId, StringComparison.OrdinalIgnoreCase)
                                                    && string.Equals(s.DirectoryScopeId, body.DirectoryScopeId, StringComparison.OrdinalIgnoreCase)))
            {
                throw new GraphException(400, "RoleAssignmentExists", "The Role assignment already exists.");
            }

            var schedule = new SimRoleEligibilitySchedule
            {
                Id = Guid.NewGuid().ToString(), PrincipalId = body.PrincipalId, RoleDefinitionId = body.RoleDefinitionId, DirectoryScopeId = body.DirectoryScopeId,
                StartDateTime = body.ScheduleInfo.StartDateTime ?? request.Now, CreatedDateTime = request.Now,
            };
            m.RoleEligibilitySchedules.Add(schedule);
            var record = new SimRoleEligibilityScheduleRequest
            {
                Id = Guid.NewGuid().ToString(), Action = "adminAssign", Status = "Provisioned", PrincipalId = body.PrincipalId,
                RoleDefinitionId = body.RoleDefinitionId, DirectoryScopeId = body.DirectoryScopeId, Justification = body.Justification,
                TargetScheduleId = schedule.Id, CreatedDateTime = request.Now,
            };
            m.RoleEligibilityScheduleRequests.Add(record);
            return RoleModels.ToGraph(record);
        });
        return GraphResponse.Created(GraphJson.Entity(recorded, $"{root}/roleEligibilityScheduleRequests/$entity"));
    }
}
