using ResponseFunctions.SimulatedTenant.Graph.Applications;
using ResponseFunctions.SimulatedTenant.Graph.AuditLogs;
using ResponseFunctions.SimulatedTenant.Graph.Authentication;
using ResponseFunctions.SimulatedTenant.Graph.ConditionalAccess;
using ResponseFunctions.SimulatedTenant.Graph.Groups;
using ResponseFunctions.SimulatedTenant.Graph.IdentityProtection;
using ResponseFunctions.SimulatedTenant.Graph.Policies;
using ResponseFunctions.SimulatedTenant.Graph.RoleManagement;
using ResponseFunctions.SimulatedTenant.Graph.Users;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant;

/// <summary>Every simulated /v1.0 route. More specific routes are registered before the ones they would shadow.</summary>
internal static class GraphApi
{
    public static GraphRouter CreateRouter()
    {
        var router = new GraphRouter();
        UserEndpoints.Map(router);
        AuthenticationMethodEndpoints.Map(router);
        GroupEndpoints.Map(router);
        RoleManagementEndpoints.Map(router);
        NamedLocationEndpoints.Map(router);
        PolicyEndpoints.Map(router);
        SignInEndpoints.Map(router);
        Graph.AuditLogs.DirectoryAuditEndpoints.Map(router);
        RiskyUserEndpoints.Map(router);
        RiskDetectionEndpoints.Map(router);
        ServicePrincipalEndpoints.Map(router);
        ApplicationEndpoints.Map(router);
        AppObjectEndpoints.Map(router);
        PermissionGrantEndpoints.Map(router);
        RoleAssignmentCreation.Map(router);
        ConsentPolicyEndpoints.Map(router);
        Graph.Mail.MessageRuleEndpoints.Map(router);
        return router;
    }
}
