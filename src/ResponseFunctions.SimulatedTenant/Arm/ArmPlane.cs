using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Arm;

/// <summary>
/// Azure Resource Manager, the Microsoft.SecurityInsights part a containment uses: incident comments.
/// <c>PUT {incident}/comments/{commentId}?api-version=…</c> with <c>{"properties":{"message":…}}</c> creates (201) or
/// replaces (200) the comment under that id; <c>GET</c> one or the list. Errors are ARM's <c>{"error":{code,message}}</c>.
/// </summary>
internal sealed class ArmPlane : ISimulatedPlane
{
    private const string Provider = "/providers/Microsoft.SecurityInsights/";

    public bool Handles(string path) =>
        path.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase) && path.Contains(Provider, StringComparison.OrdinalIgnoreCase);

    public string ErrorBody(int statusCode, string code, string message) =>
        new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }.ToJsonString();

    public async Task<int> HandleAsync(PlaneContext context)
    {
        var (status, json) = Handle(context);
        context.Http.Response.StatusCode = status;
        context.Http.Response.ContentType = "application/json; charset=utf-8";
        await context.Http.Response.WriteAsync(json, Encoding.UTF8);
        return status;
    }

    private (int Status, string Json) Handle(PlaneContext context)
    {
        var request = context.Http.Request;
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || authorization.Length <= "Bearer ".Length)
        {
            return (401, ErrorBody(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."));
        }

        if (string.IsNullOrEmpty(request.Query["api-version"]))
        {
            return (400, ErrorBody(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."));
        }

        // {incidentArmId}/comments[/{commentId}]
        var path = context.Path.TrimEnd('/');
        var marker = path.LastIndexOf("/comments", StringComparison.OrdinalIgnoreCase);
        if (marker < 0)
        {
            return (404, ErrorBody(404, "NotFound", $"{request.Method} {path} is not simulated (only incident comments)."));
        }

        var incidentId = path[..marker];
        var commentId = path[(marker + "/comments".Length)..].TrimStart('/');
        var services = context.Services;
        if (!services.State.Read(m => m.Sentinel.Incidents.Any(i => string.Equals(i.Id, incidentId, StringComparison.OrdinalIgnoreCase))))
        {
            return (404, ErrorBody(404, "NotFound", $"Incident '{incidentId}' was not found."));
        }

        return (request.Method.ToUpperInvariant(), commentId.Length) switch
        {
            ("GET", 0) => (200, new JsonObject
            {
                ["value"] = new JsonArray([.. services.State.Read(m => m.Sentinel.Comments.Where(c => Same(c.IncidentId, incidentId)).Select(ToArm).ToList())]),
            }.ToJsonString()),
            ("GET", _) => services.State.Read(m => m.Sentinel.Comments.FirstOrDefault(c => Same(c.IncidentId, incidentId) && Same(c.Name, commentId)) is { } c
                ? (200, ToArm(c).ToJsonString())
                : (404, ErrorBody(404, "NotFound", $"Comment '{commentId}' was not found."))),
            ("PUT", _) => Put(context, incidentId, commentId),
            _ => (405, ErrorBody(405, "MethodNotAllowed", $"{request.Method} is not simulated on comments.")),
        };
    }

    private (int, string) Put(PlaneContext context, string incidentId, string commentId)
    {
        if (!Guid.TryParse(commentId, out _))
        {
            return (400, ErrorBody(400, "BadRequest", $"The comment id '{commentId}' is not a GUID."));
        }

        string? message;
        try
        {
            message = JsonNode.Parse(context.Body ?? "")?["properties"]?["message"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            message = null;
        }

        if (string.IsNullOrWhiteSpace(message))
        {
            return (400, ErrorBody(400, "BadRequest", "properties.message is required."));
        }

        var now = context.Services.Time.GetUtcNow();
        return context.Services.State.Mutate(m =>
        {
            var comment = m.Sentinel.Comments.FirstOrDefault(c => Same(c.IncidentId, incidentId) && Same(c.Name, commentId));
            var created = comment is null;
            if (comment is null)
            {
                comment = new SimIncidentComment { IncidentId = incidentId, Name = commentId.ToLowerInvariant(), CreatedTimeUtc = now };
                m.Sentinel.Comments.Add(comment);
            }

            comment.Message = message;
            comment.LastModifiedTimeUtc = now;
            comment.Writes++;
            comment.Etag = $"\"{Guid.NewGuid()}\"";
            return (created ? 201 : 200, ToArm(comment).ToJsonString());
        });
    }

    private static JsonObject ToArm(SimIncidentComment c) => new()
    {
        ["id"] = $"{c.IncidentId}/comments/{c.Name}",
        ["name"] = c.Name,
        ["type"] = "Microsoft.SecurityInsights/Incidents/Comments",
        ["etag"] = c.Etag,
        ["properties"] = new JsonObject
        {
            ["message"] = c.Message,
            ["createdTimeUtc"] = c.CreatedTimeUtc.UtcDateTime.ToString("o", CultureInfo.InvariantCulture),
            ["lastModifiedTimeUtc"] = c.LastModifiedTimeUtc.UtcDateTime.ToString("o", CultureInfo.InvariantCulture),
            ["author"] = new JsonObject { ["name"] = "ResponseFunctions", ["userPrincipalName"] = null },
        },
    };

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
