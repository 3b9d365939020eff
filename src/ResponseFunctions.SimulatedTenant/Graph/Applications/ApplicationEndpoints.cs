using Microsoft.Graph.Models;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Graph.Applications;

/// <summary>/applications: the app registrations of this tenant, read by object id or ?$filter=appId eq, and their certificates replaced.</summary>
internal static class ApplicationEndpoints
{
    private const string Collection = AppObjectEndpoints.Applications;

    private static readonly Dictionary<string, Func<SimApplication, string?>> Filterable = new(StringComparer.OrdinalIgnoreCase)
    {
        ["appId"] = a => a.AppId,
        ["id"] = a => a.Id,
        ["displayName"] = a => a.DisplayName,
    };

    public static void Map(GraphRouter router) => router
        .Map("GET", Collection, List)
        .Map("GET", $"{Collection}/{{id}}", Get)
        .Map("PATCH", $"{Collection}/{{id}}", Patch);

    private static GraphResponse List(GraphRequest request)
    {
        var items = request.State.Read(m => request.OData.Apply(m.Applications, Filterable).Select(a => AppModels.ToGraph(a, withKeys: false)).ToList());
        return GraphResponse.Ok(GraphJson.Collection(items, Collection));
    }

    private static GraphResponse Get(GraphRequest request)
    {
        var item = request.State.Read(m => AppModels.ToGraph(Require(m, request["id"]), ServicePrincipalEndpoints.SelectsKeys(request)));
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

            if (property is not ("@odata.type" or "keyCredentials"))
            {
                throw GraphException.Unsupported($"PATCH /applications of property '{property}' (only keyCredentials is simulated)");
            }
        }

        var patch = request.BodyAs(Application.CreateFromDiscriminatorValue);
        request.State.Mutate(m =>
        {
            var app = Require(m, request["id"]);
            if (raw.ContainsKey("keyCredentials"))
            {
                app.KeyCredentials = AppObjectEndpoints.ReplaceKeyCredentials(app.KeyCredentials, patch.KeyCredentials ?? [], request.Now);
            }
        });
        return GraphResponse.NoContent();
    }

    private static SimApplication Require(TenantModel model, string id) =>
        model.Applications.FirstOrDefault(a => AppModels.Same(a.Id, id)) ?? throw GraphException.DirectoryObjectNotFound(id);
}
