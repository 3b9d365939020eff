using Microsoft.Graph.Models;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Graph.Users;

/// <summary>/users: read, disable, reset password, revoke sessions, group memberships.</summary>
internal static class UserEndpoints
{
    private const string OnPremMastered =
        "Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.";

    private static readonly HashSet<string> PatchableProperties =
        new(["@odata.type", "accountEnabled", "passwordProfile"], StringComparer.Ordinal);

    private static readonly Dictionary<string, Func<SimUser, string?>> Filterable = new(StringComparer.OrdinalIgnoreCase)
    {
        ["userPrincipalName"] = u => u.UserPrincipalName,
        ["id"] = u => u.Id,
        ["accountEnabled"] = u => u.AccountEnabled ? "true" : "false",
    };

    /// <summary>Graph v1.0 user resource: id and userPrincipalName "Support $filter (eq, ne, not, in ...)"; accountEnabled does not list "in".</summary>
    private static readonly HashSet<string> InFilterable = new(["id", "userPrincipalName"], StringComparer.OrdinalIgnoreCase);

    public static void Map(GraphRouter router) => router
        .Map("GET", "users", List)
        .Map("GET", "users/{user}", Get)
        .Map("PATCH", "users/{user}", Patch)
        .Map("POST", "users/{user}/revokeSignInSessions", RevokeSignInSessions)
        .Map("GET", "users/{user}/memberOf", MemberOf)
        .Map("GET", "users/{user}/memberOf/graph.group", MemberOfGroups)
        .Map("GET", "users/{user}/memberOf/microsoft.graph.group", MemberOfGroups);

    private static GraphResponse List(GraphRequest request)
    {
        var users = request.State.Read(m => request.OData.Apply(m.Users, Filterable, inFilterable: InFilterable).Select(DirectoryObjects.ToGraph).ToList());
        return GraphResponse.Ok(GraphJson.Collection(users, "users"));
    }

    private static GraphResponse Get(GraphRequest request)
    {
        var user = request.State.Read(m => DirectoryObjects.ToGraph(RequireUser(m, request["user"])));
        return GraphResponse.Ok(GraphJson.Entity(user, "users/$entity"));
    }

    private static GraphResponse Patch(GraphRequest request)
    {
        var raw = request.BodyObject();
        foreach (var (property, _) in raw)
        {
            if (!PatchableProperties.Contains(property))
            {
                throw GraphException.Unsupported($"PATCH /users of property '{property}' (only accountEnabled and passwordProfile are simulated)");
            }
        }

        var patch = request.BodyAs(User.CreateFromDiscriminatorValue);
        var profile = patch.PasswordProfile;
        request.State.Mutate(m =>
        {
            var user = RequireUser(m, request["user"]);

            // Validate everything before changing anything: a rejected PATCH must leave the user untouched.
            // A synced user's cloud password is mastered on-premises (no writeback here); blocking sign-in in the cloud
            // is accepted, and the next sync cycle would undo it.
            if (user.OnPremisesSyncEnabled == true && profile?.Password is not null)
            {
                throw GraphException.DirectoryBadRequest(OnPremMastered);
            }

            if (profile?.Password is { } password && !PasswordPolicy.IsComplexEnough(password))
            {
                throw GraphException.DirectoryBadRequest(PasswordPolicy.ComplexityMessage);
            }

            if (patch.AccountEnabled is { } enabled)
            {
                user.AccountEnabled = enabled;
            }

            if (profile is null)
            {
                return;
            }

            // Only the fact and time of the change are kept; the password value is dropped here.
            if (profile.Password is not null)
            {
                user.LastPasswordChangeDateTime = request.Now;
            }

            if (profile.ForceChangePasswordNextSignIn is { } force)
            {
                user.ForceChangePasswordNextSignIn = force;
            }

            if (profile.ForceChangePasswordNextSignInWithMfa is { } forceWithMfa)
            {
                user.ForceChangePasswordNextSignInWithMfa = forceWithMfa;
            }
        });
        return GraphResponse.NoContent();
    }

    private static GraphResponse RevokeSignInSessions(GraphRequest request)
    {
        request.State.Mutate(m => RequireUser(m, request["user"]).SignInSessionsValidFromDateTime = TruncateToSeconds(request.Now));
        return GraphResponse.Ok("{\"@odata.context\":\"" + GraphJson.MetadataPrefix + "Edm.Boolean\",\"value\":true}");
    }

    private static GraphResponse MemberOf(GraphRequest request)
    {
        var groups = request.State.Read(m => GroupsOf(m, RequireUser(m, request["user"])).Cast<DirectoryObject>().ToList());
        return GraphResponse.Ok(GraphJson.Collection(groups, "directoryObjects"));
    }

    private static GraphResponse MemberOfGroups(GraphRequest request)
    {
        var groups = request.State.Read(m => GroupsOf(m, RequireUser(m, request["user"])).ToList());
        return GraphResponse.Ok(GraphJson.Collection(groups, "groups"));
    }

    private static IEnumerable<Group> GroupsOf(TenantModel model, SimUser user) =>
        model.Groups
            .Where(g => g.Members.Contains(user.Id, StringComparer.OrdinalIgnoreCase))
            .Select(DirectoryObjects.ToGraph);

    internal static SimUser RequireUser(TenantModel model, string idOrUpn) =>
        model.FindUser(idOrUpn) ?? throw GraphException.DirectoryObjectNotFound(idOrUpn);

    // Graph reports these timestamps with whole seconds.
    private static DateTimeOffset TruncateToSeconds(DateTimeOffset value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), value.Offset);
}
