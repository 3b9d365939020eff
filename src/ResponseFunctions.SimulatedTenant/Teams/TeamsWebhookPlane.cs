using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Teams;

/// <summary>
/// A Teams Workflows webhook ("When a Teams webhook request is received"): POST /teams/webhooks/{id} takes a
/// message of Adaptive Card attachments and answers 202 with an empty body, as the flow trigger does. Cards are
/// recorded in <see cref="TenantModel.TeamsMessages"/> for tests. What Workflows refuses is refused here too:
/// other content types (legacy MessageCard) and card versions above 1.5. A message over about 28 KB is accepted (202,
/// as the trigger accepts before the flow runs) but never posted: it lands in <see cref="TenantModel.TeamsFlowFailures"/>,
/// the flow's run history, the only place the real service shows it.
/// </summary>
/// <remarks>Source: learn.microsoft.com/connectors/teams, "Known issues and limitations" (message size limit about 28 KB, "Request Entity too large");
/// the Workflows trigger answers 202 and posts inside the flow (../shared/reference/microsoft-apis.md §10b).</remarks>
internal sealed class TeamsWebhookPlane : ISimulatedPlane
{
    private const string Prefix = "/teams/webhooks/";
    private const string AdaptiveCard = "application/vnd.microsoft.card.adaptive";

    /// <summary>Teams refuses messages above about 28 KB ("Request Entity too large" inside the flow).</summary>
    public const int MessageLimitBytes = 28 * 1024;

    public bool Handles(string path) => path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    public async Task<int> HandleAsync(PlaneContext context)
    {
        var http = context.Http;
        var webhookId = context.Path[Prefix.Length..].Trim('/');
        if (!HttpMethods.IsPost(http.Request.Method) || webhookId.Length == 0 || webhookId.Contains('/'))
        {
            return await WriteAsync(http, 404, ErrorBody(404, "NotFound", "No such webhook."));
        }

        if (Validate(context.Body) is { } problem)
        {
            return await WriteAsync(http, 400, ErrorBody(400, "InvalidRequestContent", problem));
        }

        var message = JsonNode.Parse(context.Body!)!.AsObject();
        var size = Encoding.UTF8.GetByteCount(context.Body!);
        var received = new SimTeamsMessage(webhookId, context.Services.Time.GetUtcNow(), message);
        context.Services.State.Mutate(m =>
        {
            if (size > MessageLimitBytes)
            {
                m.TeamsFlowFailures.Add(new SimFlowFailure(received, $"RequestEntityTooLarge: the message is {size} bytes; Teams accepts about {MessageLimitBytes}."));
            }
            else
            {
                m.TeamsMessages.Add(received);
            }
        });
        http.Response.StatusCode = 202;
        return 202;
    }

    public string ErrorBody(int statusCode, string code, string message) =>
        JsonSerializer.Serialize(new { error = new { code, message } });

    private static string? Validate(string? body)
    {
        JsonNode? root;
        try
        {
            root = string.IsNullOrWhiteSpace(body) ? null : JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return "The body is not JSON.";
        }

        if (root is not JsonObject message || message["type"]?.GetValue<string>() != "message" || message["attachments"] is not JsonArray attachments || attachments.Count == 0)
        {
            return "Expected {\"type\":\"message\",\"attachments\":[…]}.";
        }

        foreach (var attachment in attachments)
        {
            if (attachment?["contentType"]?.GetValue<string>() != AdaptiveCard || attachment["content"] is not JsonObject card
                || card["type"]?.GetValue<string>() != "AdaptiveCard")
            {
                return "Only Adaptive Card attachments are supported.";
            }

            if (!Version.TryParse(card["version"]?.GetValue<string>(), out var version) || version > new Version(1, 5))
            {
                return "Adaptive Card version must be at most 1.5.";
            }
        }

        return null;
    }

    private static async Task<int> WriteAsync(HttpContext http, int status, string body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(body, Encoding.UTF8);
        return status;
    }
}

/// <summary>One message a Teams webhook received: which webhook, when, and the message as posted.</summary>
public sealed record SimTeamsMessage(string WebhookId, DateTimeOffset ReceivedAt, JsonObject Message);

/// <summary>A flow run that accepted a message (202) and then failed to post it, as its run history shows.</summary>
public sealed record SimFlowFailure(SimTeamsMessage Message, string Reason);
