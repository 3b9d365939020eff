namespace ResponseFunctions.SimulatedTenant.Http;

/// <summary>What a handler answers: a status and an optional JSON body already in Graph's shape.</summary>
internal sealed record GraphResponse(int StatusCode, string? Json)
{
    public static GraphResponse Ok(string json) => new(200, json);

    public static GraphResponse Created(string json) => new(201, json);

    public static GraphResponse NoContent() => new(204, null);
}
