using System.Text;
using System.Text.Encodings.Web;
using ResponseFunctions.Playbook.Approval.Links;

namespace ResponseFunctions.Playbook.Approval.Page;

/// <summary>The page's HTML: no script, every value HTML-encoded, styles inline (the host's CSP allows nothing else).</summary>
internal static class ApprovalPageHtml
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    public static string Form(string instanceId, IReadOnlyList<ApprovalRequest> requests, ClientPrincipal principal, string token, string csrf)
    {
        var html = new StringBuilder();
        Open(html, "Containment approval");
        html.Append("<p>Signed in as <b>").Append(E(principal.Name)).Append("</b>. Containment <code>").Append(E(instanceId)).Append("</code>, incident <b>")
            .Append(E(requests[0].IncidentId)).Append("</b>").Append(requests[0].Severity is { } severity ? $", severity <b>{E(severity.ToString())}</b>" : string.Empty).Append(".</p>");
        html.Append("<form method=\"post\">");
        html.Append("<input type=\"hidden\" name=\"").Append(ApprovalPage.TokenField).Append("\" value=\"").Append(E(token)).Append("\">");
        html.Append("<input type=\"hidden\" name=\"").Append(ApprovalPage.CsrfField).Append("\" value=\"").Append(E(csrf)).Append("\">");
        foreach (var request in requests)
        {
            html.Append("<fieldset><legend>").Append(E($"{request.Action} — {request.Title}")).Append("</legend>");
            html.Append("<p>Target: <b>").Append(E(request.Target.Name)).Append("</b> (").Append(E(request.Target.Id)).Append(")</p>");
            html.Append("<p>").Append(E(request.Summary)).Append("</p><p>Changes:</p><ul>");
            foreach (var change in request.Changes)
            {
                html.Append("<li>").Append(E(change.Description)).Append("</li>");
            }

            html.Append("</ul><p>Evidence:</p><ul>");
            foreach (var evidence in request.Evidence)
            {
                html.Append("<li>").Append(E(evidence.Label)).Append(": ").Append(E(evidence.Value)).Append("</li>");
            }

            html.Append("</ul>");
            foreach (var warning in request.Warnings)
            {
                html.Append("<p class=\"warn\">⚠ ").Append(E(warning)).Append("</p>");
            }

            html.Append("<p>").Append(request.Reversible ? "Reversible (the before-state is journaled)." : "<b>Not reversible.</b>")
                .Append(" Deadline: ").Append(E(request.Deadline.UtcDateTime.ToString("u"))).Append(" UTC")
                .Append(request.RequiredApprovals > 1 ? $" — needs {request.RequiredApprovals} different approvers." : ".").Append("</p>");
            var field = E(ApprovalPage.DecisionFieldPrefix + request.RequestId);
            html.Append("<label><input type=\"radio\" name=\"").Append(field).Append("\" value=\"approve\"> Approve</label> ")
                .Append("<label><input type=\"radio\" name=\"").Append(field).Append("\" value=\"reject\"> Reject</label> ")
                .Append("<label><input type=\"radio\" name=\"").Append(field).Append("\" value=\"\" checked> Decide later</label>");
            html.Append("</fieldset>");
        }

        html.Append("<p><label>Comment (journaled)<br><textarea name=\"").Append(ApprovalPage.CommentField).Append("\" maxlength=\"")
            .Append(ApprovalPage.MaxComment).Append("\" rows=\"3\" cols=\"80\"></textarea></label></p>");
        html.Append("<p><button type=\"submit\">Submit decisions</button> This link works once.</p></form>");
        return Close(html);
    }

    public static string Done(IReadOnlyList<ApprovalDecision> decisions, IReadOnlyList<ApprovalRequest> requests)
    {
        var html = new StringBuilder();
        Open(html, "Decisions recorded");
        html.Append("<ul>");
        foreach (var decision in decisions)
        {
            var request = requests.First(r => r.RequestId == decision.RequestId);
            html.Append("<li>").Append(E($"{request.Action} on {request.Target}: {(decision.Verdict == ApprovalVerdict.Approve ? "approved" : "rejected")} by {decision.DecidedBy} at {decision.DecidedAt.UtcDateTime:u} UTC")).Append("</li>");
        }

        html.Append("</ul><p>The decisions are in the main courante; the Teams channel gets the outcome.</p>");
        return Close(html);
    }

    public static string Message(string title, string detail)
    {
        var html = new StringBuilder();
        Open(html, title);
        html.Append("<p>").Append(E(detail)).Append("</p>");
        return Close(html);
    }

    private static void Open(StringBuilder html, string title) =>
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>")
            .Append(E(title))
            .Append("</title><style>body{font-family:sans-serif;max-width:60em;margin:2em auto}fieldset{margin:1em 0}.warn{color:#a00}</style></head><body><h1>")
            .Append(E(title)).Append("</h1>");

    private static string Close(StringBuilder html) => html.Append("</body></html>").ToString();

    private static string E(string value) => Encoder.Encode(value);
}
