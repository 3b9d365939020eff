using Microsoft.Graph.Models;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Graph.RoleManagement;

/// <summary>POST /roleManagement/directory/roleAssignments: what restoring a baseline role holder (2.e) sends.</summary>
internal static class RoleAssignmentCreation
{
    public static void Map(GraphRouter router) => router.Map("POST", "roleManagement/directory/roleAssignments", Create);

    private static GraphResponse Create(GraphRequest request)
    {
        var body = request.BodyAs(UnifiedRoleAssignment.CreateFromDiscriminatorValue);
        if (string.IsNullOrWhiteSpace(body.PrincipalId) || string.IsNullOrWhiteSpace(body.RoleDefinitionId) || string.IsNullOrWhiteSpace(body.DirectoryScopeId))
        {
            throw GraphException.BadRequest("principalId, roleDefinitionId and directoryScopeId are required.");
        }

        var created = request.State.Mutate(m =>
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

            var scope = body.DirectoryScopeId;
            if (scope != "/" && !m.Applications.Any(a => string.Equals("/" + a.Id, scope, StringComparison.OrdinalIgnoreCase)))
            {
                throw GraphException.Unsupported($"directoryScopeId '{scope}' (only / and /{{application object id}} are simulated)");
            }

            if (m.RoleAssignments.Any(a => string.Equals(a.PrincipalId, body.PrincipalId, StringComparison.OrdinalIgnoreCase)
                                           && string.Equals(a.RoleDefinitionId, body.RoleDefinitionId, StringComparison.OrdinalIgnoreCase)
                                           && string.Equals(a.DirectoryScopeId, scope, StringComparison.OrdinalIgnoreCase)))
            {
                throw new GraphException(409, "Conflict", "A conflicting object with one or more of the specified property values is present in the directory.");
            }

            var assignment = new SimRoleAssignment { Id = Guid.NewGuid().ToString(), PrincipalId = body.PrincipalId, RoleDefinitionId = body.RoleDefinitionId, DirectoryScopeId = scope };
            m.RoleAssignments.Add(assignment);
            return RoleModels.ToGraph(assignment, m, expand: false);
        });
        return GraphResponse.Created(GraphJson.Entity(created, "roleManagement/directory/roleAssignments/$entity"));
    }
}
