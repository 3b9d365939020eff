using System.Text.Json.Nodes;
using Microsoft.Graph.Models;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Graph.ConditionalAccess;

/// <summary>/identity/conditionalAccess/policies with the reference checks the service makes on write.</summary>
internal static class PolicyEndpoints
{
    private const string Collection = "identity/conditionalAccess/policies";

    // Keywords Graph accepts in place of ids.
    private static readonly HashSet<string> UserKeywords = new(["All", "None", "GuestsOrExternalUsers"], StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string> LocationKeywords = new(["All", "AllTrusted"], StringComparer.OrdinalIgnoreCase);

    public static void Map(GraphRouter router) => router
        .Map("GET", Collection, List)
        .Map("POST", Collection, Create)
        .Map("GET", $"{Collection}/{{id}}", Get)
        .Map("PATCH", $"{Collection}/{{id}}", Patch)
        .Map("DELETE", $"{Collection}/{{id}}", Delete);

    /// <summary>Named location ids a stored policy includes or excludes.</summary>
    public static IEnumerable<string> ReferencedLocations(JsonObject policy)
    {
        var locations = policy["conditions"]?["locations"];
        return new[] { locations?["includeLocations"], locations?["excludeLocations"] }
            .OfType<JsonArray>()
            .SelectMany(a => a)
            .Select(n => n?.GetValue<string>())
            .OfType<string>();
    }

    private static GraphResponse List(GraphRequest request) =>
        GraphShapedStore.List(request, m => m.ConditionalAccessPolicies, ConditionalAccessPolicy.CreateFromDiscriminatorValue, p => p.DisplayName, p => p.Id, Collection);

    private static GraphResponse Get(GraphRequest request) =>
        GraphShapedStore.Get(request, m => m.ConditionalAccessPolicies, ConditionalAccessPolicy.CreateFromDiscriminatorValue, NotFound, Collection);

    private static GraphResponse Create(GraphRequest request)
    {
        var policy = request.BodyAs(ConditionalAccessPolicy.CreateFromDiscriminatorValue);
        policy.Id = Guid.NewGuid().ToString();
        policy.CreatedDateTime = request.Now;
        policy.ModifiedDateTime = null;
        request.State.Mutate(m =>
        {
            Validate(policy, m);
            m.ConditionalAccessPolicies.Add(GraphShapedStore.ToStored(policy));
        });
        return GraphResponse.Created(GraphJson.Entity(policy, $"{Collection}/$entity"));
    }

    private static GraphResponse Patch(GraphRequest request)
    {
        var patch = request.BodyObject();
        request.State.Mutate(m =>
        {
            var stored = GraphShapedStore.Find(m.ConditionalAccessPolicies, request["id"]) ?? throw NotFound(request["id"]);
            var merged = GraphShapedStore.Merge(stored, patch);
            merged["modifiedDateTime"] = JsonValue.Create(request.Now);
            Validate(GraphShapedStore.FromStored(merged, ConditionalAccessPolicy.CreateFromDiscriminatorValue), m);
            m.ConditionalAccessPolicies[m.ConditionalAccessPolicies.IndexOf(stored)] = merged;
        });
        return GraphResponse.NoContent();
    }

    private static GraphResponse Delete(GraphRequest request)
    {
        request.State.Mutate(m =>
        {
            var stored = GraphShapedStore.Find(m.ConditionalAccessPolicies, request["id"]) ?? throw NotFound(request["id"]);
            m.ConditionalAccessPolicies.Remove(stored);
        });
        return GraphResponse.NoContent();
    }

    private static void Validate(ConditionalAccessPolicy policy, TenantModel model)
    {
        if (string.IsNullOrWhiteSpace(policy.DisplayName))
        {
            throw GraphException.BadRequest("displayName is required for a conditional access policy.");
        }

        if (policy.State is null)
        {
            throw GraphException.BadRequest("state must be one of enabled, disabled, enabledForReportingButNotEnforced.");
        }

        var users = policy.Conditions?.Users
            ?? throw GraphException.BadRequest("conditions.users is required.");
        if (policy.Conditions.Applications is null)
        {
            throw GraphException.BadRequest("conditions.applications is required.");
        }

        if (policy.GrantControls is null && policy.SessionControls is null)
        {
            throw GraphException.BadRequest("A policy needs grantControls or sessionControls.");
        }

        CheckAll(users.IncludeUsers, "conditions.users.includeUsers", id => UserKeywords.Contains(id) || model.FindUser(id) is not null);
        CheckAll(users.ExcludeUsers, "conditions.users.excludeUsers", id => UserKeywords.Contains(id) || model.FindUser(id) is not null);
        CheckAll(users.IncludeGroups, "conditions.users.includeGroups", id => model.FindGroup(id) is not null);
        CheckAll(users.ExcludeGroups, "conditions.users.excludeGroups", id => model.FindGroup(id) is not null);
        CheckAll(users.IncludeRoles, "conditions.users.includeRoles", id => model.FindRoleDefinition(id) is not null);
        CheckAll(users.ExcludeRoles, "conditions.users.excludeRoles", id => model.FindRoleDefinition(id) is not null);

        bool LocationExists(string id) => LocationKeywords.Contains(id) || GraphShapedStore.Find(model.NamedLocations, id) is not null;
        CheckAll(policy.Conditions.Locations?.IncludeLocations, "conditions.locations.includeLocations", LocationExists);
        CheckAll(policy.Conditions.Locations?.ExcludeLocations, "conditions.locations.excludeLocations", LocationExists);
    }

    private static void CheckAll(IEnumerable<string>? ids, string property, Func<string, bool> exists)
    {
        var missing = ids?.FirstOrDefault(id => !exists(id));
        if (missing is not null)
        {
            throw GraphException.BadRequest($"Invalid value '{missing}' in {property}: the referenced object does not exist.");
        }
    }

    private static GraphException NotFound(string id) =>
        GraphException.ResourceNotFound($"The conditional access policy '{id}' does not exist.");
}
