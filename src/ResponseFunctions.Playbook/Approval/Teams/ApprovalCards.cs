using System.Globalization;
using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Approval.Page;

namespace ResponseFunctions.Playbook.Approval.Teams;

/// <summary>
/// Adaptive Cards for a Teams Workflows webhook: schema 1.4 (within Teams' 1.5 limit, and rendered by older mobile
/// clients), only Action.OpenUrl (webhook cards cannot submit back), wrapped as
/// {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":card}]}.
/// Laid out for Teams' narrowest column (330 px): short labels, each value on its own wrapping line (a FactSet cuts
/// long UPNs and addresses), organisation-wide changes first.
/// </summary>
public static class ApprovalCards
{
    public const string CardVersion = "1.4";
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    /// <summary>Targets a grouped request's card names; the others are counted (the page lists them all).</summary>
    public const int TargetsListed = 5;

    public static JsonObject Request(ApprovalRequest request, IReadOnlyList<string> targetRoles, Uri pageUrl) =>
        Request(request, targetRoles, pageUrl, PageLanguage.English);

    public static JsonObject Request(ApprovalRequest request, IReadOnlyList<string> targetRoles, Uri pageUrl, PageLanguage language)
    {
        var t = CardText.For(language);
        var body = new JsonArray
        {
            Text(t.ApprovalNeeded, size: "Small", weight: "Bolder", color: "Attention"),
            Text($"{request.Action} — {request.Title}", size: "Large", weight: "Bolder"),
            Text(request.Summary),
        };
        var (organisation, others) = OrganisationWide.Split(request.Changes);
        if (organisation.Count > 0 || OrganisationWide.Is(request.Target))
        {
            body.Add(Text("⚠ " + t.OrganisationWide, weight: "Bolder", color: "Attention"));
            foreach (var change in organisation)
            {
                body.Add(Text("• " + change.Description, color: "Attention"));
            }
        }

        body.Add(Field(t.Incident, request.IncidentId + (request.Severity is { } severity ? $" · {t.Severity} {severity}" : string.Empty)));
        if (request.IsGrouped)
        {
            // Counts and the first few: a card stays small whatever the wave's size, and the decision is taken on the page.
            body.Add(Field(t.Target, string.Format(CultureInfo.InvariantCulture, t.TargetsCount, request.Targets.Count)));
            foreach (var target in request.Targets.Take(TargetsListed))
            {
                body.Add(Text("• " + target.Target.Name + (target.Roles.Count > 0 ? $" ({string.Join(", ", target.Roles)})" : string.Empty)
                    + (target.RequiredApprovals > 1 ? $" · {t.TwoPeople}" : string.Empty), size: "Small"));
            }

            if (request.Targets.Count > TargetsListed)
            {
                body.Add(Text(string.Format(CultureInfo.InvariantCulture, t.AndMore, request.Targets.Count - TargetsListed), size: "Small", isSubtle: true));
            }
        }
        else
        {
            body.Add(Field(t.Target, OrganisationWide.Is(request.Target) ? t.OrganisationWide : request.Target.Name));
            if (!OrganisationWide.Is(request.Target))
            {
                body.Add(Field(t.Id, request.Target.Id));
            }

            body.Add(Field(t.Roles, targetRoles.Count == 0 ? t.None : string.Join(", ", targetRoles)));
        }

        body.Add(Field(t.Reversible, request.Reversible ? t.Yes : t.No));

        // Teams renders DATE()/TIME() in the reader's own locale and time zone, from a strict RFC 3339 UTC time.
        // Source: Adaptive Cards "Text features" (https://learn.microsoft.com/adaptive-cards/authoring-cards/text-features).
        var rfc3339 = request.Deadline.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        body.Add(Field(t.Deadline, $"{request.Deadline.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC"));
        body.Add(Field(t.YourTime, $"{{{{DATE({rfc3339}, SHORT)}}}} {{{{TIME({rfc3339})}}}}"));
        body.Add(Field(t.Approvers, request.RequiredApprovals > 1 ? t.TwoPeople : "1"));
        body.Add(Field(t.IfNoDecision, request.OnTimeout == TimeoutAction.Apply ? t.AppliedAnyway : t.NotApplied));
        if (request.Context is { } context)
        {
            body.Add(Field(t.Why, context.Reason));
            foreach (var signal in context.Implicating.Take(3))
            {
                body.Add(Text($"• {signal.Value}", size: "Small"));
            }
        }

        // A grouped request shows its first target's changes as the example; each target's own are on the page.
        body.Add(Text(request.IsGrouped ? $"{t.Changes} — {request.Target.Name} ({request.Changes.Count})" : $"{t.Changes} ({request.Changes.Count})", weight: "Bolder"));
        foreach (var change in others)
        {
            body.Add(Text("• " + change.Description));
        }

        if (request.Evidence.Count > 0)
        {
            body.Add(Text(t.Evidence, weight: "Bolder"));
            foreach (var evidence in request.Evidence)
            {
                body.Add(Field(evidence.Label, evidence.Value));
            }
        }

        foreach (var warning in request.Warnings)
        {
            body.Add(Text("⚠ " + warning, color: "Attention"));
        }

        var actions = new JsonArray { OpenUrl(t.Decide, pageUrl) };
        if (request.Context?.Source.Url is { } incident && Uri.TryCreate(incident, UriKind.Absolute, out var incidentUrl) && incidentUrl.Scheme == Uri.UriSchemeHttps)
        {
            actions.Add(OpenUrl(t.OpenIncident, incidentUrl));
        }

        return Message(body, actions);
    }

    public static JsonObject FollowUp(ApprovalFollowUp followUp, Uri? secondApproverUrl) => FollowUp(followUp, secondApproverUrl, PageLanguage.English);

    /// <summary>
    /// A step's outcome where the request card had its button: webhook cards cannot be updated in place, so the
    /// follow-up says in its first line what happened, and only a second-approver card still has something to click.
    /// </summary>
    public static JsonObject FollowUp(ApprovalFollowUp followUp, Uri? secondApproverUrl, PageLanguage language)
    {
        var t = CardText.For(language);
        var (outcome, color) = followUp.Outcome switch
        {
            "approval:approved" => ("✓ " + t.Approved, "Good"),
            "approval:rejected" => ("✕ " + t.Rejected, "Attention"),
            "approval:timed-out" => ("⏱ " + t.TimedOut, "Warning"),
            "approval:timed-out-applied" => ("⏱ " + t.TimedOutApplied, "Warning"),
            ApprovalFollowUps.AwaitingSecondApprover => ("½ " + t.AwaitingSecond, "Accent"),
            "apply:failed" => ("✕ " + $"{t.ApplyResult}: failed", "Attention"),
            var applied when applied.StartsWith("apply:", StringComparison.Ordinal) => ("✓ " + $"{t.Applied}: {applied["apply:".Length..].Replace('-', ' ')}", "Good"),
            var other => (other, "Default"),
        };
        var body = new JsonArray
        {
            Text(outcome, size: "Large", weight: "Bolder", color: color),
            Text(Journal.MainCouranteSummary.TitleOf(followUp.Action), weight: "Bolder"),
            Field(t.Target, followUp.Target),
            Field(t.By, followUp.By),
            Field(t.At, followUp.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC"),
            Field(t.Incident, followUp.IncidentId),
            Text(followUp.Detail, size: "Small"),
        };
        if (secondApproverUrl is null)
        {
            body.Add(Text(t.NothingToDecide, isSubtle: true));
        }

        return Message(body, secondApproverUrl is null ? [] : new JsonArray { OpenUrl(t.DecideSecond, secondApproverUrl) });
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

    /// <summary>A short label over its value, the value on its own wrapping line: nothing is cut in a narrow column.</summary>
    private static JsonObject Field(string label, string value) => new()
    {
        ["type"] = "Container",
        ["spacing"] = "Small",
        ["items"] = new JsonArray
        {
            Text(label, size: "Small", weight: "Bolder", isSubtle: true),
            Text(value, spacing: "None"),
        },
    };

    private static JsonObject Text(string text, string? size = null, string? weight = null, string? color = null, bool isSubtle = false, string? spacing = null)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = Escape(text), ["wrap"] = true };
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

        if (isSubtle)
        {
            block["isSubtle"] = true;
        }

        if (spacing is not null)
        {
            block["spacing"] = spacing;
        }

        return block;
    }

    /// <summary>
    /// Every text a card shows goes through here, because much of it comes from the tenant or the incident (app
    /// names, evidence, comments, approver names) and TextBlock and FactSet values are rendered as Markdown: a name
    /// like "[Approve now](https://evil.example)" or "**URGENT**" must show as text, never as a link or formatting.
    /// Backslash escapes are not rendered the same on every Teams client (AdaptiveCards #5590, #7474), so Markdown's
    /// characters (emphasis, code, link brackets, HTML's angle brackets) are replaced by look-alikes that Markdown ignores, line breaks (which start blocks) become spaces,
    /// and URL schemes are defanged so no client turns them into links.
    /// </summary>
    public static string Escape(string text)
    {
        var escaped = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '[' => '［',
                ']' => '］',
                '*' => '∗',
                '_' => '＿',
                '~' => '∼',
                '`' => 'ˋ',
                '<' => '‹',
                '>' => '›',
                '\\' => '⧵',
                '\r' or '\n' or '\t' => ' ',
                _ => char.IsControl(c) ? ' ' : c,
            });
        }

        // A line starting with "- ", "+ " or "1. " is a list item; "://" is what clients autolink.
        var result = escaped.ToString().Replace("://", ":⁄⁄", StringComparison.Ordinal);
        return result.Length > 0 && (result[0] is '-' or '+' || (char.IsDigit(result[0]) && result.TrimStart("0123456789".ToCharArray()).StartsWith(". ", StringComparison.Ordinal))) ? "\u200B" + result : result;
    }

    private static JsonObject OpenUrl(string title, Uri url) => new() { ["type"] = "Action.OpenUrl", ["title"] = title, ["url"] = url.ToString() };
}
