using System.Text.Json.Nodes;

namespace ResponseFunctions.Playbook.Approval.Teams;

/// <summary>
/// Adaptive Cards for a Teams Workflows webhook: schema 1.4 (within Teams' 1.5 limit, and rendered by older mobile
/// clients), only Action.OpenUrl (webhook cards cannot submit back), wrapped as
/// {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":card}]}.
/// </summary>
public static class ApprovalCards
{
    public const string CardVersion = "1.4";
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    public static JsonObject Request(ApprovalRequest request, IReadOnlyList<string> targetRoles, Uri pageUrl)
    {
        var body = new JsonArray
        {
            Text($"Approval needed: {request.Action} — {request.Title}", size: "Large", weight: "Bolder"),
            Text(request.Summary),
            Facts(
                ("Incident", request.IncidentId),
                ("Severity", request.Severity?.ToString() ?? "not given"),
                ("Target", request.Target.Name),
                ("Object id", request.Target.Id),
                ("Roles", targetRoles.Count == 0 ? "none" : string.Join(", ", targetRoles)),
                ("Reversible", request.Reversible ? "Yes (before-state journaled)" : "No"),
                ("Deadline (UTC)", request.Deadline.UtcDateTime.ToString("u")),
                ("Approvers needed", request.RequiredApprovals > 1 ? $"{request.RequiredApprovals} different people (tier-0)" : "1"),
                ("If nobody decides", request.OnTimeout == TimeoutAction.Apply ? "Applied (timeout policy)" : "Not applied")),
            Text("Planned changes", weight: "Bolder"),
        };
        foreach (var change in request.Changes)
        {
            body.Add(Text("• " + change.Description));
        }

        if (request.Evidence.Count > 0)
        {
            body.Add(Text("Evidence", weight: "Bolder"));
            body.Add(Facts([.. request.Evidence.Select(e => (e.Label, e.Value))]));
        }

        foreach (var warning in request.Warnings)
        {
            body.Add(Text("⚠ " + warning, color: "Attention"));
        }

        return Message(body, new JsonArray { OpenUrl("Review and decide", pageUrl) });
    }

    public static JsonObject FollowUp(ApprovalFollowUp followUp, Uri? secondApproverUrl)
    {
        var headline = followUp.Kind switch
        {
            FollowUpKind.AwaitingSecondApprover => $"{followUp.Action}: first approval recorded — a different approver is needed",
            FollowUpKind.Applied => $"{followUp.Action} applied: {followUp.Outcome["apply:".Length..]}",
            _ => $"{followUp.Action}: {followUp.Outcome["approval:".Length..].Replace('-', ' ')}",
        };
        var body = new JsonArray
        {
            Text(headline, size: "Medium", weight: "Bolder", color: followUp.Outcome is "approval:rejected" or "apply:failed" ? "Attention" : null),
            Facts(("Incident", followUp.IncidentId), ("Target", followUp.Target), ("By", followUp.By), ("At (UTC)", followUp.At.UtcDateTime.ToString("u"))),
            Text(followUp.Detail),
        };
        return Message(body, secondApproverUrl is null ? [] : new JsonArray { OpenUrl("Review and decide (second approver)", secondApproverUrl) });
    }

    private static JsonObject Message(JsonArray body, JsonArray actions) => new()
    {
        ["type"] = "message",
        ["attachments"] = new JsonArray
        {
            new JsonObject
            {
                ["contentType"] = ContentType,
                ["contentUrl"] = null,
                ["content"] = new JsonObject
                {
                    ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
                    ["type"] = "AdaptiveCard",
                    ["version"] = CardVersion,
                    ["body"] = body,
                    ["actions"] = actions,
                },
            },
        },
    };

    private static JsonObject Text(string text, string? size = null, string? weight = null, string? color = null)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        if (size is not null)
        {
            block["size"] = size;
        }

        if (weight is not null)
        {
            block["weight"] = weight;
        }

        if (color is not null)
        {
            block["color"] = color;
        }

        return block;
    }

    private static JsonObject Facts(params (string Title, string Value)[] facts) => new()
    {
        ["type"] = "FactSet",
        ["facts"] = new JsonArray([.. facts.Select(f => (JsonNode)new JsonObject { ["title"] = f.Title, ["value"] = f.Value })]),
    };

    private static JsonObject OpenUrl(string title, Uri url) => new() { ["type"] = "Action.OpenUrl", ["title"] = title, ["url"] = url.ToString() };
}
