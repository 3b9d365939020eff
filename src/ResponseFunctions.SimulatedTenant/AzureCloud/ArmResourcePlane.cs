using System.Text.Json;
using System.Text.Json.Nodes;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.AzureCloud;

/// <summary>
/// Azure Resource Manager for the resource types Case 3 contains (Microsoft.Compute, .Network, .Web, .Storage,
/// .Authorization): GET/PUT/PATCH of resources and child configurations, POST resource actions, DELETE of NSGs, asynchronous
/// operations polled through Azure-AsyncOperation/Location, ARM's error bodies. Sentinel stays in <c>Arm.ArmPlane</c>.
/// </summary>
internal sealed class ArmResourcePlane : ISimulatedPlane
{
    /// <summary>The api-versions each simulated provider serves: an unknown one is refused as ARM refuses it.</summary>
    /// <remarks>Source: the stable folders of github.com/Azure/azure-rest-api-specs (see the playbook's ArmApiVersions).</remarks>
    private static readonly Dictionary<string, string[]> ApiVersions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Microsoft.Compute"] = ["2024-07-01", "2024-03-02"],
        ["Microsoft.Network"] = ["2024-05-01"],
        ["Microsoft.Web"] = ["2024-04-01"],
        ["Microsoft.Storage"] = ["2025-01-01"],
        ["Microsoft.Authorization"] = ["2022-04-01"],
    };

    public bool Handles(string path) =>
        path.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase)
        && !path.Contains("/providers/Microsoft.SecurityInsights/", StringComparison.OrdinalIgnoreCase);

    public string ErrorBody(int statusCode, string code, string message) => ArmReply.ErrorBody(code, message).ToJsonString();

    public async Task<int> HandleAsync(PlaneContext context)
    {
        var reply = Handle(context);
        return await reply.WriteAsync(context.Http);
    }

    private static ArmReply Handle(PlaneContext context)
    {
        var request = context.Http.Request;
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || authorization.Length <= "Bearer ".Length)
        {
            return ArmReply.Error(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
        }

        var path = context.Path.TrimEnd('/');
        var version = request.Query["api-version"].ToString();
        if (string.IsNullOrEmpty(version))
        {
            return ArmReply.Error(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
        }

        var provider = ProviderOf(path);
        if (provider is null || !ApiVersions.TryGetValue(provider, out var versions))
        {
            return ArmReply.Error(404, "NoRegisteredProviderFound", $"No registered resource provider found for path '{path}'.");
        }

        if (!versions.Contains(version))
        {
            return ArmReply.Error(400, "InvalidApiVersionParameter",
                $"The api-version '{version}' is invalid. The supported versions are '{string.Join(",", versions)}'.");
        }

        var services = context.Services;
        var now = services.Time.GetUtcNow();
        JsonNode? body;
        try
        {
            body = string.IsNullOrWhiteSpace(context.Body) ? null : JsonNode.Parse(context.Body);
        }
        catch (JsonException)
        {
            return ArmReply.Error(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
        }

        var method = request.Method.ToUpperInvariant();
        var origin = $"https://management.azure.com/subscriptions/{ArmPath.SubscriptionOf(path)}/providers/{provider}";
        var reply = services.State.Mutate(model =>
        {
            var azure = model.Azure;
            if (ArmAsync.IsOperationPath(path))
            {
                return ArmAsync.Poll(azure, path);
            }

            var handlers = new ArmHandlers(azure, now, origin, version);
            return (method, body) switch
            {
                ("GET", _) => handlers.Get(path, request.Query["$filter"].ToString()),
                ("PUT", { } b) => handlers.Put(path, b),
                ("PATCH", { } b) => handlers.Patch(path, b),
                ("POST", var b) => handlers.Post(path, b),
                ("DELETE", _) => ArmDeletes.Delete(azure, path, origin, version),
                ("PUT" or "PATCH", null) => ArmReply.Error(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized: the body is empty."),
                _ => ArmReply.Error(405, "MethodNotAllowed", $"{method} is not simulated on {path}."),
            };
        });
        services.State.Mutate(model => Isolation.Record(model.Azure, now));
        return reply;
    }

    private static string? ProviderOf(string path)
    {
        var segments = ArmPath.Segments(path);
        var p = Array.FindLastIndex(segments, s => s.Equals("providers", StringComparison.OrdinalIgnoreCase));
        return p >= 0 && p + 1 < segments.Length ? segments[p + 1] : null;
    }
}
