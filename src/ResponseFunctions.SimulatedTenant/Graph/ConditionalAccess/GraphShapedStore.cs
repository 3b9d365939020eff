using System.Text.Json.Nodes;
using Microsoft.Kiota.Abstractions.Serialization;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Graph.ConditionalAccess;

/// <summary>
/// Helpers for objects the state keeps in Graph's JSON shape: convert to/from SDK models and merge PATCH bodies.
/// </summary>
internal static class GraphShapedStore
{
    /// <summary>Properties the service owns: a PATCH body cannot overwrite them.</summary>
    private static readonly HashSet<string> ServerOwned =
        new(["id", "createdDateTime", "modifiedDateTime", "@odata.type", "@odata.context"], StringComparer.OrdinalIgnoreCase);

    public static JsonObject ToStored(IParsable model) => JsonNode.Parse(GraphJson.Plain(model))!.AsObject();

    public static T FromStored<T>(JsonObject stored, ParsableFactory<T> factory)
        where T : IParsable =>
        GraphJson.Parse(stored.ToJsonString(), factory);

    /// <summary>GET on a collection kept in Graph's shape, with $filter on displayName and id.</summary>
    public static GraphResponse List<T>(GraphRequest request, Func<TenantModel, List<JsonObject>> collection, ParsableFactory<T> factory,
        Func<T, string?> displayName, Func<T, string?> id, string collectionPath)
        where T : IParsable
    {
        var stored = request.State.Read(m => collection(m).Select(o => o.DeepClone().AsObject()).ToList());
        var items = request.OData.Apply(
            stored.Select(o => FromStored(o, factory)),
            new Dictionary<string, Func<T, string?>>(StringComparer.OrdinalIgnoreCase) { ["displayName"] = displayName, ["id"] = id })
            .ToList();
        return GraphResponse.Ok(GraphJson.Collection(items, collectionPath));
    }

    /// <summary>GET of one object of a collection kept in Graph's shape.</summary>
    public static GraphResponse Get<T>(GraphRequest request, Func<TenantModel, List<JsonObject>> collection, ParsableFactory<T> factory,
        Func<string, GraphException> notFound, string collectionPath)
        where T : IParsable
    {
        var stored = request.State.Read(m => Find(collection(m), request["id"])?.DeepClone().AsObject()) ?? throw notFound(request["id"]);
        return GraphResponse.Ok(GraphJson.Entity(FromStored(stored, factory), $"{collectionPath}/$entity"));
    }

    public static string? Id(JsonObject stored) => stored["id"]?.GetValue<string>();

    public static JsonObject? Find(IEnumerable<JsonObject> items, string id) =>
        items.FirstOrDefault(o => string.Equals(Id(o), id, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Applies a PATCH: objects merge property by property (as Graph does for nested complex types), arrays and
    /// scalars are replaced. Returns a new object; the stored one stays untouched until validation passes.
    /// </summary>
    public static JsonObject Merge(JsonObject stored, JsonObject patch)
    {
        var result = stored.DeepClone().AsObject();
        foreach (var (key, value) in patch)
        {
            if (!ServerOwned.Contains(key))
            {
                MergeInto(result, key, value);
            }
        }

        return result;
    }

    private static void MergeInto(JsonObject target, string key, JsonNode? value)
    {
        if (value is JsonObject patchObject && target[key] is JsonObject existing)
        {
            foreach (var (childKey, childValue) in patchObject)
            {
                MergeInto(existing, childKey, childValue);
            }

            return;
        }

        target[key] = value?.DeepClone();
    }
}
