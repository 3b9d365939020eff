using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ResponseFunctions.SimulatedTenant.Http;

/// <summary>
/// POST /v1.0/$batch, as Graph's JSON batching does it (Graph docs, "Combine multiple HTTP requests using JSON
/// batching"): at most 20 requests, each with an id, a method and a URL relative to the version (headers and a JSON
/// body when it has one); one round trip, so one latency, but each request is its own as far as the service goes:
/// authenticated with the batch's token, fault rules and throttling applied to it alone (a 429 with its Retry-After
/// in its own response), logged on its own (<see cref="RecordedRequest.Batch"/>). A request naming others in
/// dependsOn runs after them, and fails with 424 Failed Dependency if one of them failed.
/// </summary>
internal sealed partial class GraphPipeline
{
    private const int MaxBatchRequests = 20;

    private async Task BatchAsync(HttpContext context)
    {
        if (services.Throttle.Latency > TimeSpan.Zero)
        {
            await Task.Delay(services.Throttle.Latency, services.Time, context.RequestAborted);
        }

        var batchId = Guid.NewGuid().ToString();
        context.Response.Headers["request-id"] = batchId;
        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        int status;
        try
        {
            var requests = ParseBatch(body, context.Request.Headers.Authorization.ToString());
            var responses = new JsonArray();
            var done = new Dictionary<string, int>(StringComparer.Ordinal);
            while (done.Count < requests.Count)
            {
                var next = requests.First(r => !done.ContainsKey(r.Id) && r.DependsOn.All(done.ContainsKey));
                var response = next.DependsOn.Any(d => done[d] >= 400)
                    ? Failed(next.Id, 424, "FailedDependency", "A request this request depends on failed.")
                    : await RunInBatchAsync(context, next, batchId);
                done[next.Id] = response["status"]!.GetValue<int>();
                responses.Add(response);
            }

            status = 200;
            context.Response.StatusCode = 200;
            context.Response.ContentType = JsonContentType;
            await context.Response.WriteAsync(new JsonObject { ["responses"] = responses }.ToJsonString(), Encoding.UTF8);
        }
        catch (GraphException ex)
        {
            status = ex.StatusCode;
            await WriteErrorAsync(context, ex.StatusCode, ex.Code, ex.Message, new RequestIds(batchId, batchId));
        }

        services.Requests.Add(new RecordedRequest(services.Time.GetUtcNow(), "POST", "/v1.0/$batch", null, status));
    }

    private static List<BatchedRequest> ParseBatch(string? body, string authorization)
    {
        JsonArray? requests;
        try
        {
            requests = JsonNode.Parse(body ?? "")?["requests"] as JsonArray;
        }
        catch (JsonException)
        {
            throw GraphException.BadRequest("Invalid batch payload: the body is not JSON.");
        }

        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || authorization.Length <= "Bearer ".Length)
        {
            throw new GraphException(401, "InvalidAuthenticationToken", "Access token is empty.");
        }

        if (requests is null || requests.Count == 0)
        {
            throw GraphException.BadRequest("Invalid batch payload: 'requests' must hold at least one request.");
        }

        if (requests.Count > MaxBatchRequests)
        {
            throw GraphException.BadRequest($"Invalid batch payload: a batch holds at most {MaxBatchRequests} requests, not {requests.Count}.");
        }

        var parsed = requests.Select(r => new BatchedRequest(
            r?["id"]?.GetValue<string>() ?? throw GraphException.BadRequest("Invalid batch payload: every request needs an id."),
            r["method"]?.GetValue<string>()?.ToUpperInvariant() ?? throw GraphException.BadRequest("Invalid batch payload: every request needs a method."),
            r["url"]?.GetValue<string>() ?? throw GraphException.BadRequest("Invalid batch payload: every request needs a url."),
            r["headers"] as JsonObject,
            r["body"],
            [.. (r["dependsOn"] as JsonArray ?? []).Select(d => d!.GetValue<string>())])).ToList();
        var ids = parsed.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        if (ids.Count != parsed.Count)
        {
            throw GraphException.BadRequest("Invalid batch payload: request ids must be unique.");
        }

        if (parsed.Any(r => r.DependsOn.Any(d => !ids.Contains(d) || d == r.Id)) || HasCycle(parsed))
        {
            throw GraphException.BadRequest("Invalid batch payload: dependsOn names a request that is not in the batch, or a cycle.");
        }

        if (parsed.Any(r => r.Body is not null && r.Headers?["Content-Type"] is null && r.Headers?["content-type"] is null))
        {
            throw GraphException.BadRequest("Invalid batch payload: a request with a body needs a Content-Type header.");
        }

        if (parsed.Any(r => r.Url.TrimStart('/').StartsWith("$batch", StringComparison.OrdinalIgnoreCase)))
        {
            throw GraphException.BadRequest("Invalid batch payload: a batch cannot hold a batch.");
        }

        return parsed;
    }

    private static bool HasCycle(List<BatchedRequest> requests)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        while (done.Count < requests.Count)
        {
            var ready = requests.Where(r => !done.Contains(r.Id) && r.DependsOn.All(done.Contains)).ToList();
            if (ready.Count == 0)
            {
                return true;
            }

            done.UnionWith(ready.Select(r => r.Id));
        }

        return false;
    }

    /// <summary>Runs one request of the batch through the same pipeline as a request of its own, and answers it as the batch's response item.</summary>
    private async Task<JsonObject> RunInBatchAsync(HttpContext outer, BatchedRequest request, string batchId)
    {
        var url = request.Url.StartsWith('/') ? request.Url : "/" + request.Url;
        var question = url.IndexOf('?', StringComparison.Ordinal);
        var inner = new DefaultHttpContext();
        inner.Request.Method = request.Method;
        inner.Request.Path = "/v1.0" + (question < 0 ? url : url[..question]);
        inner.Request.QueryString = question < 0 ? QueryString.Empty : new QueryString(url[question..]);
        inner.Request.Headers.Authorization = outer.Request.Headers.Authorization;
        foreach (var (name, value) in request.Headers ?? [])
        {
            inner.Request.Headers[name] = value?.ToString();
        }

        var bytes = request.Body is null ? [] : Encoding.UTF8.GetBytes(request.Body.ToJsonString());
        inner.Request.Body = new MemoryStream(bytes);
        inner.Request.ContentLength = bytes.Length;
        var buffer = new MemoryStream();
        inner.Response.Body = buffer;
        inner.RequestAborted = outer.RequestAborted;

        await InvokeOneAsync(inner, batchId);

        var headers = new JsonObject();
        foreach (var (name, value) in inner.Response.Headers)
        {
            headers[name] = value.ToString();
        }

        if (inner.Response.ContentType is { } contentType)
        {
            headers["Content-Type"] = contentType;
        }

        var item = new JsonObject { ["id"] = request.Id, ["status"] = inner.Response.StatusCode, ["headers"] = headers };
        if (buffer.Length > 0)
        {
            item["body"] = JsonNode.Parse(buffer.ToArray());
        }

        return item;
    }

    private static JsonObject Failed(string id, int status, string code, string message) => new()
    {
        ["id"] = id,
        ["status"] = status,
        ["headers"] = new JsonObject { ["Content-Type"] = "application/json" },
        ["body"] = new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } },
    };

    private sealed record BatchedRequest(string Id, string Method, string Url, JsonObject? Headers, JsonNode? Body, IReadOnlyList<string> DependsOn);
}
