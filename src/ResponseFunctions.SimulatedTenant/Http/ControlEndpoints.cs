using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ResponseFunctions.SimulatedTenant.Http;

/// <summary>
/// /_sim/* endpoints let an out-of-process drill inspect and steer the simulator (state, request log, faults).
/// They need no token and are not recorded in the request log, so they never disturb what a test asserts.
/// </summary>
internal static class ControlEndpoints
{
    public static async Task HandleAsync(HttpContext context, SimulatorServices services)
    {
        var route = (context.Request.Method.ToUpperInvariant(), (context.Request.Path.Value ?? "").TrimEnd('/').ToLowerInvariant());
        switch (route)
        {
            case ("GET", "/_sim/state"):
                await WriteJsonAsync(context, 200, services.State.ExportJson());
                break;
            case ("GET", "/_sim/requests"):
                await WriteJsonAsync(context, 200, JsonSerializer.Serialize(services.Requests.Snapshot(), StateJson.Options));
                break;
            case ("DELETE", "/_sim/requests"):
                services.Requests.Clear();
                context.Response.StatusCode = 204;
                break;
            case ("GET", "/_sim/faults"):
                var active = services.Faults.Active().Select(a => new { rule = a.Rule, remaining = a.Remaining });
                await WriteJsonAsync(context, 200, JsonSerializer.Serialize(active, StateJson.Options));
                break;
            case ("POST", "/_sim/faults"):
                await AddFaultAsync(context, services.Faults);
                break;
            case ("DELETE", "/_sim/faults"):
                services.Faults.Clear();
                context.Response.StatusCode = 204;
                break;
            default:
                await WriteJsonAsync(context, 404, JsonSerializer.Serialize(new { error = $"Unknown control endpoint {route.Item1} {route.Item2}" }));
                break;
        }
    }

    private static async Task AddFaultAsync(HttpContext context, FaultInjector faults)
    {
        try
        {
            var rule = await JsonSerializer.DeserializeAsync<FaultRule>(context.Request.Body, StateJson.Options, context.RequestAborted)
                ?? throw new JsonException("Empty fault rule.");
            faults.Add(rule);
            context.Response.StatusCode = 204;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            await WriteJsonAsync(context, 400, JsonSerializer.Serialize(new { error = ex.Message }));
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json);
    }
}
