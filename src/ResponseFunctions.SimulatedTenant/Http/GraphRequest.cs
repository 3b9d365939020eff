using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Kiota.Abstractions.Serialization;

namespace ResponseFunctions.SimulatedTenant.Http;

/// <summary>A routed /v1.0 request: decoded route values, OData options, the body and the tenant it acts on.</summary>
internal sealed class GraphRequest
{
    private ODataQuery? _odata;

    public required string Method { get; init; }
    public required string Path { get; init; }
    public required IReadOnlyDictionary<string, string> RouteValues { get; init; }
    public required IQueryCollection Query { get; init; }
    public required string? Body { get; init; }
    public required TenantState State { get; init; }
    public required TimeProvider Time { get; init; }

    public string this[string routeValue] => RouteValues[routeValue];

    public DateTimeOffset Now => Time.GetUtcNow();

    public ODataQuery OData => _odata ??= ODataQuery.Parse(Query);

    /// <summary>The body as a JSON object, for checks the typed models cannot make (which properties were sent).</summary>
    public JsonObject BodyObject()
    {
        if (string.IsNullOrWhiteSpace(Body))
        {
            throw GraphException.BadRequest("Empty Payload. JSON content expected.");
        }

        try
        {
            return JsonNode.Parse(Body) as JsonObject
                ?? throw GraphException.BadRequest("The request payload must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw GraphException.BadRequest("Unable to read JSON request payload. " + ex.Message);
        }
    }

    public T BodyAs<T>(ParsableFactory<T> factory)
        where T : IParsable
    {
        if (string.IsNullOrWhiteSpace(Body))
        {
            throw GraphException.BadRequest("Empty Payload. JSON content expected.");
        }

        return GraphJson.Parse(Body, factory);
    }
}
