using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ResponseFunctions.SimulatedTenant.Http;

/// <summary>
/// The single middleware of the simulator: control endpoints, the other planes (<see cref="Planes"/>), then for
/// Graph: bearer check, fault injection, licence gate, routing, Graph error bodies; every request is logged.
/// </summary>
internal sealed partial class GraphPipeline(SimulatorServices services, GraphRouter router, IReadOnlyList<ISimulatedPlane> planes)
{
    private const string JsonContentType =
        "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (path.StartsWith("/_sim", StringComparison.OrdinalIgnoreCase))
        {
            await ControlEndpoints.HandleAsync(context, services);
            return;
        }

        if (string.Equals(path, "/v1.0/$batch", StringComparison.OrdinalIgnoreCase) && HttpMethods.IsPost(request.Method))
        {
            await BatchAsync(context);
            return;
        }

        await InvokeOneAsync(context, batch: null);
    }

    /// <summary>One request: a round trip of its own (<paramref name="batch"/> null, it pays the latency) or one of a JSON batch's.</summary>
    private async Task InvokeOneAsync(HttpContext context, string? batch)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (batch is null && services.Throttle.Latency > TimeSpan.Zero)
        {
            // A service round trip, paid by every request (throttled ones too); the tenant's clock drives it.
            await Task.Delay(services.Throttle.Latency, services.Time, context.RequestAborted);
        }

        var body = await ReadBodyAsync(request, context.RequestAborted);
        var decodedPathAndQuery = path + Uri.UnescapeDataString(request.QueryString.Value ?? "");
        var clientRequestId = request.Headers["client-request-id"].ToString();
        var ids = new RequestIds(Guid.NewGuid().ToString(), string.IsNullOrEmpty(clientRequestId) ? Guid.NewGuid().ToString() : clientRequestId);
        context.Response.Headers["request-id"] = ids.RequestId;
        context.Response.Headers["client-request-id"] = ids.ClientRequestId;

        int status;
        if (planes.FirstOrDefault(p => p.Handles(path)) is { } plane)
        {
            status = await InvokePlaneAsync(plane, new PlaneContext(context, path, decodedPathAndQuery, body, services));
            services.Requests.Add(new RecordedRequest(
                services.Time.GetUtcNow(), request.Method, decodedPathAndQuery, PasswordRedactor.Redact(body), status) { Batch = batch });
            return;
        }

        try
        {
            var response = await ProcessAsync(context, path, decodedPathAndQuery, body);
            status = response.StatusCode;
            await WriteAsync(context, response);
        }
        catch (GraphException ex)
        {
            status = ex.StatusCode;
            await WriteErrorAsync(context, ex.StatusCode, ex.Code, ex.Message, ids);
        }

        services.Requests.Add(new RecordedRequest(
            services.Time.GetUtcNow(), request.Method, decodedPathAndQuery, PasswordRedactor.Redact(body), status) { Batch = batch });
    }

    private async Task<GraphResponse> ProcessAsync(HttpContext context, string path, string decodedPathAndQuery, string? body)
    {
        var request = context.Request;
        if (!path.StartsWith("/v1.0/", StringComparison.OrdinalIgnoreCase))
        {
            throw GraphException.Unsupported($"{request.Method} {decodedPathAndQuery} (only /v1.0 is simulated)");
        }

        // The real service rejects a missing token before anything else (including throttling).
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || authorization.Length <= "Bearer ".Length
            || string.IsNullOrWhiteSpace(authorization["Bearer ".Length..]))
        {
            throw new GraphException(401, "InvalidAuthenticationToken", "Access token is empty.");
        }

        if (services.Faults.Take(request.Method, decodedPathAndQuery) is { } fault)
        {
            await ApplyFaultAsync(context, fault);
        }

        var segments = path["/v1.0/".Length..]
            .Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(Uri.UnescapeDataString)
            .ToList();

        if (segments.Count > 0 && string.Equals(segments[0], "identityProtection", StringComparison.OrdinalIgnoreCase)
            && !services.State.Read(m => m.IdentityProtectionP2))
        {
            throw new GraphException(403, "Forbidden", "Your tenant is not licensed for this feature.");
        }

        if (TenantThrottle.IsIdentityProtection(segments))
        {
            Admit(context, services.Throttle.AdmitIdentityProtection());
        }
        else if (GraphRequestCost.For(request.Method, segments, request.QueryString.Value) is { } cost)
        {
            Admit(context, services.Throttle.AdmitGraph(authorization["Bearer ".Length..], cost));
            context.Response.Headers["x-ms-resource-unit"] = cost.ResourceUnits.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (!router.TryMatch(request.Method, segments, out var handler, out var values) || handler is null)
        {
            throw GraphException.Unsupported($"{request.Method} {decodedPathAndQuery}");
        }

        return handler(new GraphRequest
        {
            Method = request.Method,
            Path = path,
            RouteValues = values,
            Query = request.Query,
            Body = body,
            State = services.State,
            Time = services.Time,
        });
    }

    /// <summary>The cmdlet an Exchange Online InvokeCommand body names, for fault rules aimed at one cmdlet; null otherwise.</summary>
    private static string? InvokedCmdlet(PlaneContext context)
    {
        if (context.Http.Request.Path.Value?.EndsWith("/InvokeCommand", StringComparison.OrdinalIgnoreCase) != true
            || string.IsNullOrEmpty(context.Body))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(context.Body)?["CmdletInput"]?["CmdletName"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null; // the plane answers a malformed body itself
        }
    }

    /// <summary>Faults apply to every plane (throttling and outages are what clients retry); the plane words the error its own way.</summary>
    private async Task<int> InvokePlaneAsync(ISimulatedPlane plane, PlaneContext context)
    {
        if (services.Faults.Take(context.Http.Request.Method, context.PathAndQuery, InvokedCmdlet(context)) is { } fault)
        {
            try
            {
                await ApplyFaultAsync(context.Http, fault);
            }
            catch (GraphException injected)
            {
                context.Http.Response.StatusCode = injected.StatusCode;
                context.Http.Response.ContentType = "application/json; charset=utf-8";
                await context.Http.Response.WriteAsync(plane.ErrorBody(injected.StatusCode, injected.Code, injected.Message), Encoding.UTF8);
                return injected.StatusCode;
            }
        }

        if (context.Http.Request.Path.Value?.EndsWith("/InvokeCommand", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                var token = context.Http.Request.Headers.Authorization.ToString();
                Admit(context.Http, services.Throttle.AdmitExchange(token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? token["Bearer ".Length..] : token));
            }
            catch (GraphException throttled)
            {
                context.Http.Response.StatusCode = throttled.StatusCode;
                context.Http.Response.ContentType = "application/json; charset=utf-8";
                await context.Http.Response.WriteAsync(plane.ErrorBody(throttled.StatusCode, throttled.Code, throttled.Message), Encoding.UTF8);
                return throttled.StatusCode;
            }
        }

        return await plane.HandleAsync(context);
    }

    /// <summary>
    /// A refused request is answered 429 with Retry-After (whole seconds), x-ms-throttle-scope and
    /// x-ms-throttle-information, as Graph's identity and access service does (Microsoft Graph service-specific
    /// throttling limits, "Throttled responses requests"); identity protection and conditional access send no Retry-After.
    /// </summary>
    private void Admit(HttpContext context, ThrottleRefusal? refusal)
    {
        if (refusal is null)
        {
            return;
        }

        var headers = context.Response.Headers;
        if (refusal.RetryAfter is { } retryAfter)
        {
            headers.RetryAfter = ((long)retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        headers["x-ms-throttle-scope"] = $"{refusal.Scope}/{services.State.Read(m => m.TenantId)}";
        headers["x-ms-throttle-information"] = refusal.Reason;
        throw new GraphException(429, "TooManyRequests", "Too many requests. Retry after the number of seconds in the Retry-After header.");
    }

    private async Task ApplyFaultAsync(HttpContext context, FaultRule fault)
    {
        if (fault.Latency is { } latency && latency > TimeSpan.Zero)
        {
            // The tenant's TimeProvider drives the delay so tests with a fake clock control it too.
            await Task.Delay(latency, services.Time, context.RequestAborted);
        }

        if (fault.StatusCode == 0)
        {
            return;
        }

        var retryAfter = fault.RetryAfter ?? (fault.StatusCode == 429 ? TimeSpan.FromSeconds(1) : null);
        if (retryAfter is { } after)
        {
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var (code, message) = fault.StatusCode switch
        {
            429 => ("TooManyRequests", "Too many requests. Retry after the number of seconds in the Retry-After header."),
            503 => ("ServiceUnavailable", "The service is temporarily unavailable. Please retry later."),
            500 => ("InternalServerError", "An internal server error occurred (injected fault)."),
            502 => ("BadGateway", "Bad gateway (injected fault)."),
            504 => ("GatewayTimeout", "Gateway timeout (injected fault)."),
            400 => ("BadRequest", "Bad request (injected fault)."),
            401 => ("InvalidAuthenticationToken", "Access token has expired or is not yet valid (injected fault)."),
            403 => ("Forbidden", "Insufficient privileges to complete the operation (injected fault)."),
            404 => ("ResourceNotFound", "Resource not found (injected fault)."),
            _ => ("UnknownError", $"Injected fault {fault.StatusCode}."),
        };
        throw new GraphException(fault.StatusCode, code, message);
    }

    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength == 0)
        {
            return null;
        }

        Stream source = request.Body;
        if (request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            source = new GZipStream(source, CompressionMode.Decompress);
        }

        using var reader = new StreamReader(source, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        return text.Length == 0 ? null : text;
    }

    private static async Task WriteAsync(HttpContext context, GraphResponse response)
    {
        context.Response.StatusCode = response.StatusCode;
        if (response.Json is not null)
        {
            context.Response.ContentType = JsonContentType;
            await context.Response.WriteAsync(response.Json, Encoding.UTF8);
        }
    }

    private async Task WriteErrorAsync(HttpContext context, int status, string code, string message, RequestIds ids)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonContentType;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            json.WriteString("code", code);
            json.WriteString("message", message);
            json.WriteStartObject("innerError");
            json.WriteString("date", services.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("request-id", ids.RequestId);
            json.WriteString("client-request-id", ids.ClientRequestId);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted);
    }

    private sealed record RequestIds(string RequestId, string ClientRequestId);
}
