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
        .Map("POST", Collection, Create)
        .Map("GET", $"{Collection}/{{id}}", Get)
        .Map("PATCH", $"{Collection}/{{id}}", Patch)
        .Map("GET", $"{Collection}/{{id}}/appRoleAssignedTo", r => ListAssignments(r, assignedTo: true))
        .Map("DELETE", $"{Collection}/{{id}}/appRoleAssignedTo/{{assignment}}", r => DeleteAssignment(r, assignedTo: true))
        .Map("GET", $"{Collection}/{{id}}/appRoleAssignments", r => ListAssignments(r, assignedTo: false))
        .Map("POST", $"{Collection}/{{id}}/appRoleAssignments", r => Grant(r, assignedTo: false))
        .Map("POST", $"{Collection}/{{id}}/appRoleAssignedTo", r => Grant(r, assignedTo: true))
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

    /// <summary>
    /// POST /servicePrincipals: the tenant's instance of an application registered here (by appId). One per appId: a
    /// second answers 409 (Request_MultipleObjectsWithSameKeyValue). Source: "Create servicePrincipal"
    /// (learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals).
    /// </summary>
    private static GraphResponse Create(GraphRequest request)
    {
        var body = request.BodyAs(ServicePrincipal.CreateFromDiscriminatorValue);
        if (string.IsNullOrWhiteSpace(body.AppId))
        {
            throw GraphException.DirectoryBadRequest("Property appId is required.");
        }

        var created = request.State.Mutate(m =>
        {
            var app = m.Applications.FirstOrDefault(a => AppModels.Same(a.AppId, body.AppId))
                ?? throw GraphException.DirectoryBadRequest($"The appId '{body.AppId}' of the service principal does not reference a valid application object.");
            if (m.ServicePrincipals.Any(s => AppModels.Same(s.AppId, body.AppId)))
            {
                throw new GraphException(409, "Request_MultipleObjectsWithSameKeyValue",
                    "The service principal cannot be created, updated, or restored because the service principal name is already in use.");
            }

            var sp = new SimServicePrincipal
            {
                Id = Guid.NewGuid().ToString(),
                AppId = app.AppId,
                DisplayName = app.DisplayName,
                AppOwnerOrganizationId = m.TenantId,
                SignInAudience = app.SignInAudience,
                AppRoleAssignmentRequired = body.AppRoleAssignmentRequired ?? false,
                AppRoles = [.. app.AppRoles],
            };
            m.ServicePrincipals.Add(sp);
            return AppModels.ToGraph(sp, withKeys: false);
        });
        return GraphResponse.Created(GraphJson.Entity(created, $"{Collection}/$entity"));
    }

    /// <summary>
    /// Grants an app role of a resource service principal. POST …/{id}/appRoleAssignments grants it to service principal
    /// {id} (principalId must be {id}: an application permission, allowed member type Application); POST
    /// …/{id}/appRoleAssignedTo grants a role of {id} (resourceId must be {id}) to a user, group or service principal.
    /// The role must exist, be enabled and allow the principal's kind; the same grant twice answers 400 "Permission
    /// being assigned already exists on the object".
    /// Sources: "Grant an appRoleAssignment to a service principal" (serviceprincipal-post-approleassignments),
    /// "Grant an appRoleAssignment for a service principal" (serviceprincipal-post-approleassignedto).
    /// </summary>
    private static GraphResponse Grant(GraphRequest request, bool assignedTo)
    {
        var body = request.BodyAs(AppRoleAssignment.CreateFromDiscriminatorValue);
        if (body.PrincipalId is not { } principalId || body.ResourceId is not { } resourceId || body.AppRoleId is not { } appRoleId)
        {
            throw GraphException.DirectoryBadRequest("principalId, resourceId and appRoleId are required.");
        }

        var created = request.State.Mutate(m =>
        {
            var posted = Require(m, request["id"]);
            if (!AppModels.Same(posted.Id, (assignedTo ? resourceId : principalId).ToString()))
            {
                throw GraphException.DirectoryBadRequest($"{(assignedTo ? "resourceId" : "principalId")} must be the service principal the request is posted to.");
            }

            var resource = m.ServicePrincipals.FirstOrDefault(s => AppModels.Same(s.Id, resourceId.ToString()))
                ?? throw GraphException.DirectoryObjectNotFound(resourceId.ToString());
            var (kind, memberType, displayName) = Principal(m, principalId.ToString());
            var role = resource.AppRoles.FirstOrDefault(r => AppModels.Same(r.Id, appRoleId.ToString()) && r.IsEnabled);
            if (role is null || !role.AllowedMemberTypes.Contains(memberType))
            {
                throw GraphException.DirectoryBadRequest("Permission being assigned was not found on application.");
            }

            if (m.AppRoleAssignments.Any(a => AppModels.Same(a.PrincipalId, principalId.ToString()) && AppModels.Same(a.ResourceId, resource.Id) && AppModels.Same(a.AppRoleId, role.Id)))
            {
                throw GraphException.DirectoryBadRequest("Permission being assigned already exists on the object");
            }

            var assignment = new SimAppRoleAssignment
            {
                Id = Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
                AppRoleId = role.Id,
                PrincipalId = principalId.ToString(),
                PrincipalType = kind,
                PrincipalDisplayName = displayName,
                ResourceId = resource.Id,
                ResourceDisplayName = resource.DisplayName,
                CreatedDateTime = request.Now,
            };
            m.AppRoleAssignments.Add(assignment);
            return AppModels.ToGraph(assignment);
        });
        return GraphResponse.Created(GraphJson.Entity(created, $"{Collection}('{request["id"]}')/{(assignedTo ? "appRoleAssignedTo" : "appRoleAssignments")}/$entity"));
    }

    /// <summary>A principal's kind, the app role member type it needs (User for users and groups) and its name.</summary>
    private static (string Kind, string MemberType, string? DisplayName) Principal(TenantModel model, string id) =>
        model.ServicePrincipals.FirstOrDefault(s => AppModels.Same(s.Id, id)) is { } sp ? ("ServicePrincipal", "Application", sp.DisplayName)
        : model.FindUser(id) is { } user ? ("User", "User", user.DisplayName)
        : model.FindGroup(id) is { } group ? ("Group", "User", group.DisplayName)
        : throw GraphException.DirectoryObjectNotFound(id);

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
