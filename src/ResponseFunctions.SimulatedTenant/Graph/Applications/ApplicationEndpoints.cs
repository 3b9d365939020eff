using Microsoft.Graph.Models;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Graph.Applications;

/// <summary>
/// /applications: the app registrations of this tenant, read by object id or ?$filter=appId eq / displayName eq,
/// created (POST), their certificates replaced, their app roles and web sign-in settings updated (PATCH).
/// Sources: "Create application", "Update application" (learn.microsoft.com/graph/api/application-post-applications,
/// application-update): appRoles is replaced whole on PATCH, and an enabled role cannot be removed or changed in the
/// same request ("disable it first", error CannotDeleteOrUpdateEnabledEntitlement).
/// </summary>
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
        .Map("POST", Collection, Create)
        .Map("GET", $"{Collection}/{{id}}", Get)
        .Map("PATCH", $"{Collection}/{{id}}", Patch);

    private static readonly HashSet<string> WritableProperties =
        new(["@odata.type", "keyCredentials", "appRoles", "web", "displayName", "signInAudience"], StringComparer.Ordinal);

    private static GraphResponse Create(GraphRequest request)
    {
        var raw = request.BodyObject();
        RefuseUnsimulated(raw, "POST");
        var body = request.BodyAs(Application.CreateFromDiscriminatorValue);
        if (string.IsNullOrWhiteSpace(body.DisplayName))
        {
            throw GraphException.DirectoryBadRequest("Property displayName is required.");
        }

        var created = request.State.Mutate(m =>
        {
            var app = new SimApplication
            {
                Id = Guid.NewGuid().ToString(),
                AppId = Guid.NewGuid().ToString(),
                DisplayName = body.DisplayName,
                SignInAudience = body.SignInAudience ?? "AzureADMyOrg",
                CreatedDateTime = request.Now,
            };
            ApplyAppRoles(app, body.AppRoles ?? [], replacing: false);
            ApplyWeb(app, body.Web);
            m.Applications.Add(app);
            return AppModels.ToGraph(app, withKeys: false);
        });
        return GraphResponse.Created(GraphJson.Entity(created, $"{Collection}/$entity"));
    }

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

        }

        RefuseUnsimulated(raw, "PATCH");

        var patch = request.BodyAs(Application.CreateFromDiscriminatorValue);
        request.State.Mutate(m =>
        {
            var app = Require(m, request["id"]);
            if (raw.ContainsKey("keyCredentials"))
            {
                app.KeyCredentials = AppObjectEndpoints.ReplaceKeyCredentials(app.KeyCredentials, patch.KeyCredentials ?? [], request.Now);
            }

            if (raw.ContainsKey("appRoles"))
            {
                ApplyAppRoles(app, patch.AppRoles ?? [], replacing: true);
            }

            if (raw.ContainsKey("web"))
            {
                ApplyWeb(app, patch.Web);
            }

            app.DisplayName = patch.DisplayName ?? app.DisplayName;

            // The service principal exposes the roles its application defines.
            foreach (var sp in m.ServicePrincipals.Where(s => AppModels.Same(s.AppId, app.AppId)))
            {
                sp.AppRoles = [.. app.AppRoles];
            }
        });
        return GraphResponse.NoContent();
    }

    private static void RefuseUnsimulated(System.Text.Json.Nodes.JsonObject raw, string method)
    {
        foreach (var (property, _) in raw)
        {
            if (!WritableProperties.Contains(property))
            {
                throw GraphException.Unsupported($"{method} /applications with property '{property}' (simulated: {string.Join(", ", WritableProperties.Skip(1))})");
            }
        }
    }

    /// <summary>PATCH replaces the collection; a role that stays enabled must come back unchanged, one removed must have been disabled.</summary>
    private static void ApplyAppRoles(SimApplication app, IReadOnlyList<AppRole> roles, bool replacing)
    {
        var incoming = roles.Select(AppModels.FromGraph).ToList();
        if (incoming.GroupBy(r => r.Id, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1)
            || incoming.GroupBy(r => r.Value, StringComparer.Ordinal).Any(g => g.Key.Length > 0 && g.Count() > 1))
        {
            throw GraphException.DirectoryBadRequest("App role ids and values must be unique.");
        }

        if (incoming.FirstOrDefault(r => r.AllowedMemberTypes.Count == 0 || r.AllowedMemberTypes.Any(t => t is not ("User" or "Application"))) is { } bad)
        {
            throw GraphException.DirectoryBadRequest($"App role '{bad.Value}': allowedMemberTypes must be User and/or Application.");
        }

        if (replacing)
        {
            foreach (var existing in app.AppRoles.Where(r => r.IsEnabled))
            {
                var kept = incoming.FirstOrDefault(r => AppModels.Same(r.Id, existing.Id));
                if (kept is null || (kept.IsEnabled && (kept.Value != existing.Value || !kept.AllowedMemberTypes.Order().SequenceEqual(existing.AllowedMemberTypes.Order()))))
                {
                    throw new GraphException(400, "CannotDeleteOrUpdateEnabledEntitlement",
                        "Property  value cannot be deleted or updated unless it is disabled first.");
                }
            }
        }

        app.AppRoles = incoming;
    }

    private static void ApplyWeb(SimApplication app, WebApplication? web)
    {
        if (web is null)
        {
            return;
        }

        if (web.RedirectUris is { } uris)
        {
            if (uris.FirstOrDefault(u => !Uri.TryCreate(u, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttps && !parsed.IsLoopback)) is { } bad)
            {
                throw GraphException.DirectoryBadRequest($"Redirect URI '{bad}' must be https (or http on localhost).");
            }

            app.WebRedirectUris = [.. uris];
        }

        if (web.ImplicitGrantSettings?.EnableIdTokenIssuance is { } idTokens)
        {
            app.IdTokenIssuance = idTokens;
        }
    }

    private static SimApplication Require(TenantModel model, string id) =>
        model.Applications.FirstOrDefault(a => AppModels.Same(a.Id, id)) ?? throw GraphException.DirectoryObjectNotFound(id);
}
