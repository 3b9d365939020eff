namespace ResponseFunctions.SimulatedTenant.Http;

/// <summary>Thrown by handlers to answer with Graph's error body; the pipeline turns it into the HTTP response.</summary>
internal sealed class GraphException(int statusCode, string code, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
    public string Code { get; } = code;

    public static GraphException BadRequest(string message) => new(400, "BadRequest", message);

    /// <summary>Directory objects (users, groups) use the AAD-style code.</summary>
    public static GraphException DirectoryBadRequest(string message) => new(400, "Request_BadRequest", message);

    public static GraphException Unsupported(string what) => new(400, "BadRequest", "Unsupported request: " + what);

    public static GraphException ResourceNotFound(string message) => new(404, "ResourceNotFound", message);

    public static GraphException DirectoryObjectNotFound(string id) =>
        new(404, "Request_ResourceNotFound",
            $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");
}
