using Microsoft.Graph.Models;
using ResponseFunctions.SimulatedTenant.Graph.Users;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Graph.Authentication;

/// <summary>
/// /users/{id}/authentication: list and delete methods with the rules the real service enforces (default method,
/// mobile vs alternate mobile, password not deletable, typed collections only).
/// </summary>
internal static class AuthenticationMethodEndpoints
{
    public static void Map(GraphRouter router) => router
        .Map("GET", "users/{user}/authentication/methods", ListAll)
        .Map("GET", "users/{user}/authentication/methods/{method}", GetAny)
        .Map("DELETE", "users/{user}/authentication/methods/{method}", DeleteThroughGenericRoute)
        .Map("GET", "users/{user}/authentication/{collection}", ListTyped)
        .Map("GET", "users/{user}/authentication/{collection}/{method}", GetTyped)
        .Map("DELETE", "users/{user}/authentication/{collection}/{method}", DeleteTyped);

    private static GraphResponse ListAll(GraphRequest request)
    {
        var methods = request.State.Read(m =>
            UserEndpoints.RequireUser(m, request["user"]).AuthenticationMethods.Select(AuthenticationMethodKinds.ToGraph).ToList());
        return GraphResponse.Ok(GraphJson.Collection(methods, $"users('{request["user"]}')/authentication/methods"));
    }

    private static GraphResponse GetAny(GraphRequest request)
    {
        var method = request.State.Read(m => AuthenticationMethodKinds.ToGraph(RequireMethod(m, request, kind: null)));
        return GraphResponse.Ok(GraphJson.Entity(method, $"users('{request["user"]}')/authentication/methods/$entity"));
    }

    private static GraphResponse ListTyped(GraphRequest request)
    {
        var kind = RequireKind(request);
        var methods = request.State.Read(m => UserEndpoints.RequireUser(m, request["user"]).AuthenticationMethods
            .Where(x => x.Type == kind)
            .Select(AuthenticationMethodKinds.ToGraph)
            .ToList());
        return GraphResponse.Ok(GraphJson.Collection(methods, $"users('{request["user"]}')/authentication/{request["collection"]}"));
    }

    private static GraphResponse GetTyped(GraphRequest request)
    {
        var kind = RequireKind(request);
        var method = request.State.Read(m => AuthenticationMethodKinds.ToGraph(RequireMethod(m, request, kind)));
        return GraphResponse.Ok(GraphJson.Entity(method, $"users('{request["user"]}')/authentication/{request["collection"]}/$entity"));
    }

    /// <summary>The real service has no DELETE on the generic collection; playbooks must use the typed one.</summary>
    private static GraphResponse DeleteThroughGenericRoute(GraphRequest request) =>
        throw GraphException.ResourceNotFound("No HTTP resource was found that matches the request URI");

    private static GraphResponse DeleteTyped(GraphRequest request)
    {
        var kind = RequireKind(request);
        if (kind == AuthenticationMethodKind.Password)
        {
            throw new GraphException(400, "badRequest", "The password authentication method cannot be deleted.");
        }

        request.State.Mutate(m =>
        {
            var user = UserEndpoints.RequireUser(m, request["user"]);
            var method = RequireMethod(m, request, kind);
            var isDefault = string.Equals(user.DefaultAuthenticationMethodId, method.Id, StringComparison.OrdinalIgnoreCase);
            var othersRemain = user.AuthenticationMethods.Any(x => x != method && x.Type != AuthenticationMethodKind.Password);
            if (isDefault && othersRemain)
            {
                throw new GraphException(400, "badRequest",
                    "Cannot delete default method with other methods configured. Change the default method first.");
            }

            if (method.Type == AuthenticationMethodKind.Phone && IsPhoneType(method, "mobile")
                && user.AuthenticationMethods.Any(x => x.Type == AuthenticationMethodKind.Phone && IsPhoneType(x, "alternateMobile")))
            {
                throw new GraphException(400, "badRequest",
                    "Cannot delete the mobile phone method while an alternate mobile phone method is registered. Delete the alternateMobile method first.");
            }

            user.AuthenticationMethods.Remove(method);
            if (isDefault)
            {
                user.DefaultAuthenticationMethodId = null;
            }
        });
        return GraphResponse.NoContent();
    }

    private static AuthenticationMethodKind RequireKind(GraphRequest request) =>
        AuthenticationMethodKinds.FromCollection(request["collection"])
        ?? throw GraphException.Unsupported($"{request.Method} authentication/{request["collection"]}");

    /// <summary>Finds the method; a method addressed through another kind's collection is not found, as in Graph.</summary>
    private static SimAuthenticationMethod RequireMethod(TenantModel model, GraphRequest request, AuthenticationMethodKind? kind)
    {
        var user = UserEndpoints.RequireUser(model, request["user"]);
        var id = request["method"];
        return user.AuthenticationMethods.FirstOrDefault(x =>
                   string.Equals(x.Id, id, StringComparison.OrdinalIgnoreCase) && (kind is null || x.Type == kind))
            ?? throw GraphException.ResourceNotFound(
                kind is null
                    ? $"Authentication method '{id}' was not found for user '{user.Id}'."
                    : $"No {AuthenticationMethodKinds.OdataTypeName(kind.Value)} with id '{id}' was found for user '{user.Id}'.");
    }

    private static bool IsPhoneType(SimAuthenticationMethod method, string phoneType) =>
        string.Equals(method.PhoneType, phoneType, StringComparison.OrdinalIgnoreCase);
}
