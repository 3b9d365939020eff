using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Graph.Applications;

/// <summary>/oauth2PermissionGrants: the delegated consents, listed by client (?$filter=clientId eq) and deleted one by one.</summary>
internal static class PermissionGrantEndpoints
{
    private const string Collection = "oauth2PermissionGrants";

    private static readonly Dictionary<string, Func<SimOAuth2PermissionGrant, string?>> Filterable = new(StringComparer.OrdinalIgnoreCase)
    {
        ["clientId"] = g => g.ClientId,
        ["resourceId"] = g => g.ResourceId,
        ["principalId"] = g => g.PrincipalId,
        ["consentType"] = g => g.ConsentType,
    };

    public static void Map(GraphRouter router) => router
        .Map("GET", Collection, List)
        .Map("GET", $"{Collection}/{{id}}", Get)
        .Map("DELETE", $"{Collection}/{{id}}", Delete);

    private static GraphResponse List(GraphRequest request)
    {
        var items = request.State.Read(m => request.OData.Apply(m.OAuth2PermissionGrants, Filterable).Select(AppModels.ToGraph).ToList());
        return GraphResponse.Ok(GraphJson.Collection(items, Collection));
    }

    private static GraphResponse Get(GraphRequest request)
    {
        var item = request.State.Read(m => Find(m, request["id"]) is { } g ? AppModels.ToGraph(g) : null) ?? throw NotFound(request["id"]);
        return GraphResponse.Ok(GraphJson.Entity(item, $"{Collection}/$entity"));
    }

    private static GraphResponse Delete(GraphRequest request)
    {
        request.State.Mutate(m => m.OAuth2PermissionGrants.Remove(Find(m, request["id"]) ?? throw NotFound(request["id"])));
        return GraphResponse.NoContent();
    }

    private static SimOAuth2PermissionGrant? Find(TenantModel model, string id) =>
        model.OAuth2PermissionGrants.FirstOrDefault(g => AppModels.Same(g.Id, id));

    private static GraphException NotFound(string id) => GraphException.DirectoryObjectNotFound(id);
}
