using Microsoft.Graph.Models;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Graph.Applications;

/// <summary>/servicePrincipals: read (by id or ?$filter=appId eq), disable, require assignment, replace certificates; app role assignments both ways.</summary>
internal static class ServicePrincipalEndpoints
{
    private const string Collection = AppObjectEndpoints.ServicePrincipals;

    private static readonly HashSet<string> PatchableProperties =
        new(["@odata.type", "accountEnabled", "appRoleAssignmentRequired", "keyCredentials"], StringComparer.Ordinal);

    private static readonly Dictionary<string, Func<SimServicePrincipal, string?>> Filterable = new(StringComparer.OrdinalIgnoreCase)
    {
        ["appId"] = s => s.AppId,
        ["id"] = s => s.Id,
        ["displayName"] = s => s.DisplayName,
    };

    public static void Map(GraphRouter router) => router
        .Map("GET", Collection, List)
        .Map("GET", $"{Collection}/{{id}}", Get)
        .Map("PATCH", $"{Collection}/{{id}}", Patch)
        .Map("GET", $"{Collection}/{{id}}/appRoleAssignedTo", r => ListAssignments(r, assignedTo: true))
        .Map("DELETE", $"{Collection}/{{id}}/appRoleAssignedTo/{{assignment}}", r => DeleteAssignment(r, assignedTo: true))
        .Map("GET", $"{Collection}/{{id}}/appRoleAssignments", r => ListAssignments(r, assignedTo: false))
        .Map("DELETE", $"{Collection}/{{id}}/appRoleAssignments/{{assignment}}", r => DeleteAssignment(r, assignedTo: false));

    /// <summary>Lists never carry certificate keys, as in Graph.</summary>
    private static GraphResponse List(GraphRequest request)
    {
        var items = request.State.Read(m => request.OData.Apply(m.ServicePrincipals, Filterable).Select(s => AppModels.ToGraph(s, withKeys: false)).ToList());
        return GraphResponse.Ok(GraphJson.Collection(items, Collection));
    }

    private static GraphResponse Get(GraphRequest request)
    {
        var item = request.State.Read(m => AppModels.ToGraph(Require(m, request["id"]), SelectsKeys(request)));
        return GraphResponse.Ok(GraphJson.Entity(item, $"{Collection}/$entity"));
    }

    private static GraphResponse Patch(GraphRequest request)
    {
        var raw = request.BodyObject();
        foreach (var (property, _) in raw)
        {
            if (property == "passwordCredentials")
            {
                throw GraphException.DirectoryBadRequest("passwordCredentials cannot be changed with PATCH: use addPassword and removePassword.");
            }

            if (!PatchableProperties.Contains(property))
            {
                throw GraphException.Unsupported($"PATCH /servicePrincipals of property '{property}' (only accountEnabled, appRoleAssignmentRequired and keyCredentials are simulated)");
            }
        }

        var patch = request.BodyAs(ServicePrincipal.CreateFromDiscriminatorValue);
        request.State.Mutate(m =>
        {
            var sp = Require(m, request["id"]);
            var keys = raw.ContainsKey("keyCredentials") ? AppObjectEndpoints.ReplaceKeyCredentials(sp.KeyCredentials, patch.KeyCredentials ?? [], request.Now) : null;
            sp.AccountEnabled = patch.AccountEnabled ?? sp.AccountEnabled;
            sp.AppRoleAssignmentRequired = patch.AppRoleAssignmentRequired ?? sp.AppRoleAssignmentRequired;
            if (keys is not null)
            {
                sp.KeyCredentials = keys;
            }
        });
        return GraphResponse.NoContent();
    }

    /// <summary>appRoleAssignedTo: who holds this app's roles (the app as resource); appRoleAssignments: the roles this app holds on others.</summary>
    private static GraphResponse ListAssignments(GraphRequest request, bool assignedTo)
    {
        var items = request.State.Read(m =>
        {
            var sp = Require(m, request["id"]);
            return request.OData.Apply(m.AppRoleAssignments.Where(a => Belongs(a, sp.Id, assignedTo)), AssignmentFilters)
                .Select(AppModels.ToGraph)
                .ToList();
        });
        return GraphResponse.Ok(GraphJson.Collection(items, $"{Collection}('{request["id"]}')/{(assignedTo ? "appRoleAssignedTo" : "appRoleAssignments")}"));
    }

    private static GraphResponse DeleteAssignment(GraphRequest request, bool assignedTo)
    {
        request.State.Mutate(m =>
        {
            var sp = Require(m, request["id"]);
            var assignment = m.AppRoleAssignments.FirstOrDefault(a => AppModels.Same(a.Id, request["assignment"]) && Belongs(a, sp.Id, assignedTo))
                ?? throw new GraphException(404, "Request_ResourceNotFound", $"Resource '{request["assignment"]}' does not exist or one of its queried reference-property objects are not present.");
            m.AppRoleAssignments.Remove(assignment);
        });
        return GraphResponse.NoContent();
    }

    private static readonly Dictionary<string, Func<SimAppRoleAssignment, string?>> AssignmentFilters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["principalId"] = a => a.PrincipalId,
        ["resourceId"] = a => a.ResourceId,
        ["appRoleId"] = a => a.AppRoleId,
    };

    private static bool Belongs(SimAppRoleAssignment assignment, string servicePrincipalId, bool assignedTo) =>
        AppModels.Same(assignedTo ? assignment.ResourceId : assignment.PrincipalId, servicePrincipalId);

    internal static bool SelectsKeys(GraphRequest request) =>
        request.Query.TryGetValue("$select", out var select)
        && select.ToString().Split(',', StringSplitOptions.TrimEntries).Contains("keyCredentials", StringComparer.OrdinalIgnoreCase);

    private static SimServicePrincipal Require(TenantModel model, string id) =>
        model.ServicePrincipals.FirstOrDefault(s => AppModels.Same(s.Id, id)) ?? throw GraphException.DirectoryObjectNotFound(id);
}
