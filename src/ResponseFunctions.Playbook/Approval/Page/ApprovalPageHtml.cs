using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Orchestration;

namespace ResponseFunctions.Playbook.Approval.Page;

/// <summary>
/// The page's HTML: no script, every value HTML-encoded, styles inline (the host's CSP allows nothing else). Built for
/// a phone at 3 a.m.: the summary first, long lists collapsed with counts (details/summary needs no script), large
/// separated choices where "Decide later" is preselected, Reject is the safe one and Approve stands apart.
/// </summary>
internal sealed class ApprovalPageHtml(PageLanguage language, ApprovalPageClock clock, TimeProvider time)
{
    private const int OpenListUpTo = 5;
    // Every Unicode letter as itself (French is readable in the source), markup characters always encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public PageText Text { get; } = PageText.For(language);

    public string Form(string instanceId, IReadOnlyList<ApprovalRequest> requests, ClientPrincipal principal, string token, string csrf, string? notice, string? comment)
    {
        var first = requests[0];
        var html = new StringBuilder();
        var heading = requests.Count == 1 ? $"{first.Action} — {first.Title}" : $"{first.Action} … {requests[^1].Action} ({requests.Count})";
        Open(html, $"{heading} · {first.Target.Name} · {first.IncidentId} — {Text.PageTitle}");
        html.Append("<p class=\"meta\">").Append(E(Text.SignedInAs)).Append(" <b>").Append(E(principal.Name)).Append("</b> · ")
            .Append(E(Text.Incident)).Append(" <b>").Append(E(first.IncidentId)).Append("</b>");
        if (first.Severity is { } severity)
        {
            html.Append(" · ").Append(E(Text.Severity)).Append(" <b>").Append(E(severity.ToString())).Append("</b>");
        }

        html.Append(" · <span class=\"id\">").Append(E(instanceId)).Append("</span></p>");
        html.Append("<h1>").Append(E(heading)).Append("</h1>");
        if (notice is not null)
        {
            html.Append("<p class=\"notice warn\" role=\"alert\">").Append(E(notice)).Append("</p>");
        }

        html.Append("<form method=\"post\">");
        Hidden(html, ApprovalPage.TokenField, token);
        Hidden(html, ApprovalPage.CsrfField, csrf);
        foreach (var request in requests)
        {
            Step(html, request, requests.Count > 1);
        }

        html.Append("<p class=\"field\"><label for=\"comment\">").Append(E(Text.Comment)).Append("</label><span class=\"hint\" id=\"comment-hint\">")
            .Append(E(Text.CommentHint)).Append("</span><textarea id=\"comment\" name=\"").Append(ApprovalPage.CommentField).Append("\" maxlength=\"")
            .Append(ApprovalPage.MaxComment).Append("\" rows=\"4\" aria-describedby=\"comment-hint\">").Append(E(comment ?? string.Empty)).Append("</textarea></p>");
        html.Append("<button type=\"submit\">").Append(E(Text.Submit)).Append("</button><p class=\"meta\">").Append(E(Text.OnceOnly)).Append("</p></form>");
        return Close(html);
    }

    /// <param name="approvalsSoFar">Per request id, the distinct people who approved it so far, this decision included.</param>
    public string Done(IReadOnlyList<ApprovalDecision> decisions, IReadOnlyList<ApprovalRequest> requests, IReadOnlyDictionary<string, int>? approvalsSoFar = null)
    {
        var html = new StringBuilder();
        var first = requests[0];
        Open(html, $"{Text.Recorded} · {first.Action} {first.Title} · {first.IncidentId}");
        html.Append("<h1>").Append(E(Text.Recorded)).Append("</h1><ul class=\"status\">");
        foreach (var decision in decisions)
        {
            var request = requests.First(r => r.RequestId == decision.RequestId);
            var verdict = decision.Verdict == ApprovalVerdict.Approve ? Text.Approved : Text.Rejected;
            html.Append("<li><b>").Append(E($"{request.Action} — {request.Title}")).Append("</b><br><span class=\"id\">").Append(E(request.Target.Name)).Append("</span><br>")
                .Append(E($"{verdict} {Text.By} {decision.DecidedBy}, {Local(decision.DecidedAt)}"));
            if (request.IsGrouped && decision.Verdict == ApprovalVerdict.Approve && decision.Excluded.Count > 0)
            {
                html.Append("<br>").Append(E($"{decision.Excluded.Count} {Text.Excluded}: "))
                    .Append(E(string.Join(", ", request.Targets.Where(t => decision.Excluded.Contains(t.StepIndex)).Select(t => t.Target.Name))));
            }

            var soFar = approvalsSoFar?.GetValueOrDefault(request.RequestId) ?? 1;
            if (decision.Verdict == ApprovalVerdict.Approve && request.RequiredApprovals > soFar)
            {
                // A two-person step is not approved yet: say so, or the first approver leaves believing it will be applied.
                html.Append("<br><b>").Append(E(Text.SecondApproverNeeded)).Append("</b>");
            }

            html.Append("</li>");
        }

        html.Append("</ul><p>").Append(E(Text.RecordedNext)).Append("</p>");
        return Close(html);
    }

    /// <summary>A refusal or an outcome, always with the steps concerned, where they stand, and what to do next.</summary>
    public PageResult Status(HttpStatusCode status, string title, string detail, IReadOnlyList<StepStatus> steps, string next, string? comment, bool alarming)
    {
        var html = new StringBuilder();
        var about = steps.Select(s => s.Pending is { } p ? $"{p.Action} {p.Title}" : s.Report is { } r ? $"{r.Action} {r.Title}" : s.RequestId).FirstOrDefault();
        Open(html, about is null ? $"{title} — {Text.PageTitle}" : $"{title} · {about} — {Text.PageTitle}");
        html.Append("<h1>").Append(E(title)).Append("</h1><p class=\"notice").Append(alarming ? " warn" : string.Empty).Append("\">").Append(E(detail)).Append("</p>");
        if (steps.Count > 0)
        {
            html.Append("<h2>").Append(E(Text.StepsOfLink)).Append("</h2><ul class=\"status\">");
            foreach (var step in steps)
            {
                html.Append("<li>").Append(StepLine(step)).Append("</li>");
            }

            html.Append("</ul>");
        }

        html.Append("<h2>").Append(E(Text.NextStep)).Append("</h2><p>").Append(E(next)).Append("</p>");
        if (!string.IsNullOrWhiteSpace(comment))
        {
            html.Append("<p class=\"field\"><label for=\"kept\">").Append(E(Text.YourComment)).Append("</label><textarea id=\"kept\" readonly rows=\"4\">")
                .Append(E(comment)).Append("</textarea></p>");
        }

        return new PageResult(status, Close(html), []);
    }

    private void Step(StringBuilder html, ApprovalRequest request, bool several)
    {
        var id = E(request.RequestId);
        html.Append("<section class=\"step\" aria-labelledby=\"h-").Append(id).Append("\">");
        html.Append(several ? "<h2" : "<h2 class=\"sr\"").Append(" id=\"h-").Append(id).Append("\">").Append(E($"{request.Action} — {request.Title}")).Append("</h2>");

        var (organisation, others) = OrganisationWide.Split(request.Changes);
        if (organisation.Count > 0 || OrganisationWide.Is(request.Target))
        {
            html.Append("<div class=\"org\" role=\"note\"><b>⚠ ").Append(E(Text.OrganisationWideChange)).Append("</b>");
            if (organisation.Count > 0)
            {
                html.Append("<ul>");
                foreach (var change in organisation)
                {
                    html.Append("<li>").Append(E(change.Description)).Append("</li>");
                }

                html.Append("</ul>");
            }

            html.Append("</div>");
        }

        // The summary: what, on whom, how reversible, who else, how long left, what happens otherwise.
        html.Append("<h3>").Append(E(Text.Summary)).Append("</h3><dl class=\"summary\">");
        Row(html, Text.WhatChanges, E(request.Summary) + $" <span class=\"count\">({request.Changes.Count})</span>");
        Row(html, Text.OnWhom, OrganisationWide.Is(request.Target)
            ? "<b>" + E(Text.WholeOrganisation) + "</b>"
            : request.IsGrouped
                ? "<b>" + E(string.Format(CultureInfo.InvariantCulture, Text.TargetsCount, request.Targets.Count)) + "</b>"
                : "<b class=\"id\">" + E(request.Target.Name) + "</b><br><span class=\"id\">" + E(request.Target.Id) + "</span>");
        Row(html, Text.Reversible, request.Reversible ? E(Text.ReversibleYes) : "<b class=\"bad\">" + E(Text.ReversibleNo) + "</b>");
        Row(html, Text.Approvers, E(request.RequiredApprovals > 1 ? Text.TwoApprovers : Text.OneApprover));
        Row(html, Text.Deadline, Deadline(request.Deadline));
        Row(html, Text.IfNobody, E(request.OnTimeout == TimeoutAction.Apply ? Text.IfNobodyApplied : Text.IfNobodyNotApplied));
        html.Append("</dl>");

        Why(html, request);
        Targets(html, request);
        html.Append("<h3>").Append(E(Text.Changes)).Append("</h3>");
        Changes(html, others.Count > 0 ? others : organisation);
        if (request.Evidence.Count > 0)
        {
            List(html, $"{Text.Evidence} ({request.Evidence.Count})", request.Evidence.Select(e => E(e.Label) + "<br><span class=\"id\">" + E(e.Value) + "</span>").ToList());
        }

        if (request.Warnings.Count > 0)
        {
            html.Append("<h3>").Append(E(Text.Warnings)).Append("</h3><ul class=\"warn\">");
            foreach (var warning in request.Warnings)
            {
                html.Append("<li>").Append(E(warning)).Append("</li>");
            }

            html.Append("</ul>");
        }

        Choices(html, request);
        html.Append("</section>");
    }

    /// <summary>
    /// A grouped request's full list of targets, each with its own changes and roles and a box to exclude it. Open, not
    /// collapsed: the approver approves each of them. The box's name is unique per target (the form refuses a field given twice).
    /// </summary>
    private void Targets(StringBuilder html, ApprovalRequest request)
    {
        if (!request.IsGrouped)
        {
            return;
        }

        html.Append("<h3>").Append(E($"{Text.TargetsTitle} ({request.Targets.Count})")).Append("</h3><p class=\"hint\">").Append(E(Text.TargetsHint)).Append("</p><ul class=\"targets\">");
        foreach (var target in request.Targets)
        {
            var field = E(ApprovalPage.ExcludeField(request.RequestId, target.StepIndex));
            html.Append("<li><label><input type=\"checkbox\" name=\"").Append(field).Append("\" value=\"exclude\"> ").Append(E(Text.Exclude)).Append("</label> <b class=\"id\">")
                .Append(E(target.Target.Name)).Append("</b><br><span class=\"id\">").Append(E(target.Target.Id)).Append("</span><br>").Append(E(target.Summary));
            if (target.RequiredApprovals > 1)
            {
                html.Append("<br><b>").Append(E(Text.TwoApprovers)).Append("</b>");
            }

            if (target.Roles.Count > 0)
            {
                html.Append("<br>").Append(E(Text.Roles)).Append(": ").Append(string.Join(", ", target.Roles.Select(E)));
            }

            if (target.Changes.Count > 0)
            {
                List(html, $"{Text.Changes} ({target.Changes.Count})", target.Changes.Select(c => E(c.Description)).ToList());
            }

            foreach (var warning in target.Warnings)
            {
                html.Append("<br><span class=\"bad\">⚠ ").Append(E(warning)).Append("</span>");
            }

            html.Append("</li>");
        }

        html.Append("</ul>");
    }

    private void Why(StringBuilder html, ApprovalRequest request)
    {
        if (request.Context is not { } context)
        {
            return;
        }

        html.Append("<h3>").Append(E(Text.Why)).Append("</h3><dl class=\"summary\">");
        Row(html, Text.Reason, E(context.Reason));
        Row(html, Text.RequestedBy, E(context.RequestedBy));
        var source = context.Source;
        var kind = source.Origin switch
        {
            IncidentOrigin.SentinelIncident => Text.SentinelIncident,
            IncidentOrigin.RiskDetection => Text.RiskDetection,
            _ => Text.ManualRun,
        };
        var sourceHtml = E(kind) + (source.Number is { } number ? " " + E(number) : string.Empty) + (source.Title is { } title ? "<br>" + E(title) : string.Empty);
        if (SafeLink(source.Url) is { } url)
        {
            sourceHtml += "<br><a href=\"" + E(url) + "\" rel=\"noreferrer noopener\">" + E(Text.OpenSource) + "</a>";
        }

        Row(html, Text.Source, sourceHtml);
        Row(html, Text.Roles, context.TargetRoles.Count == 0 ? E(Text.NoRoles) : string.Join("<br>", context.TargetRoles.Select(E)));
        html.Append("</dl>");
        if (context.Implicating.Count == 0)
        {
            html.Append("<p>").Append(E(Text.NothingImplicating)).Append("</p>");
        }
        else
        {
            List(html, $"{Text.Implicating} ({context.Implicating.Count})", context.Implicating.Select(e => E(e.Label) + "<br>" + E(e.Value)).ToList());
        }
    }

    private void Changes(StringBuilder html, IReadOnlyList<PlannedChange> changes)
    {
        var groups = OrganisationWide.Group(changes);
        if (changes.Count <= OpenListUpTo)
        {
            List(html, null, changes.Select(c => E(c.Description)).ToList());
            return;
        }

        foreach (var (kind, group) in groups)
        {
            List(html, $"{OrganisationWide.Humanize(kind)} ({group.Count})", group.Select(c => E(c.Description)).ToList());
        }
    }

    /// <summary>A list; collapsed under its title with the count when long.</summary>
    private static void List(StringBuilder html, string? title, IReadOnlyList<string> itemsHtml)
    {
        var collapsed = itemsHtml.Count > OpenListUpTo;
        if (title is not null)
        {
            html.Append(collapsed ? "<details><summary>" : "<details open><summary>").Append(E(title)).Append("</summary>");
        }

        html.Append("<ul>");
        foreach (var item in itemsHtml)
        {
            html.Append("<li>").Append(item).Append("</li>");
        }

        html.Append("</ul>");
        if (title is not null)
        {
            html.Append("</details>");
        }
    }

    private void Choices(StringBuilder html, ApprovalRequest request)
    {
        var field = E(ApprovalPage.DecisionFieldPrefix + request.RequestId);
        html.Append("<fieldset class=\"choices\"><legend>").Append(E($"{Text.Decision} — {request.Action}")).Append("</legend>");
        Choice(html, field, string.Empty, "later", "…", Text.DecideLater, Text.DecideLaterHint, true);
        Choice(html, field, "reject", "reject", "✕", $"{Text.Reject} {request.Action}", Text.RejectHint, false);
        Choice(html, field, "approve", "approve", "✓", $"{Text.Approve} {request.Action}", Text.ApproveHint, false);
        html.Append("</fieldset>");
    }

    private static void Choice(StringBuilder html, string field, string value, string css, string mark, string label, string hint, bool isChecked) =>
        html.Append("<label class=\"choice ").Append(css).Append("\"><input type=\"radio\" name=\"").Append(field).Append("\" value=\"").Append(value).Append('"')
            .Append(isChecked ? " checked" : string.Empty).Append("><span><b><span aria-hidden=\"true\">").Append(mark).Append("</span> ").Append(E(label))
            .Append("</b><br><span class=\"hint\">").Append(E(hint)).Append("</span></span></label>");

    private string StepLine(StepStatus step)
    {
        var (action, title, target) = step.Pending is { } p ? (p.Action.Value, p.Title, p.Target.Name)
            : step.Report is { } r ? (r.Action.Value, r.Title, r.Target.Name)
            : (step.RequestId, string.Empty, string.Empty);
        var line = "<b>" + E($"{action} — {title}") + "</b>" + (target.Length > 0 ? "<br><span class=\"id\">" + E(target) + "</span>" : string.Empty) + "<br>";
        foreach (var submitted in step.Submitted)
        {
            var verdict = submitted.Outcome.EndsWith("approve", StringComparison.Ordinal) ? Text.Approved : Text.Rejected;
            line += "<b>" + E($"{Text.ThisLink} {verdict} {Text.By} {submitted.Actor}, {Local(submitted.At)}") + "</b><br>";
        }

        if (step.Pending is { } pending)
        {
            return line + E(Text.StateWaiting) + "<br>" + Text.Deadline + ": " + Deadline(pending.Deadline);
        }

        if (step.Report is not { } report)
        {
            return line + E(Text.StateUnknown);
        }

        var by = report.DecidedBy is { Length: > 0 } who && who != "policy" ? $" {Text.By} {who}" : string.Empty;
        var state = report.Approval switch
        {
            ApprovalOutcome.Approved => Text.StateApproved + by,
            ApprovalOutcome.Rejected => Text.StateRejected + by,
            ApprovalOutcome.TimedOut => Text.StateTimedOut,
            ApprovalOutcome.PreApproved => Text.StateTimedOutApplied,
            ApprovalOutcome.NotRequired => Text.StatePolicy,
            _ => Text.StateUnknown,
        };
        var applied = report.Apply switch
        {
            ApplyOutcome.Applied or ApplyOutcome.AlreadyInPlace or ApplyOutcome.PartiallyApplied => Text.Applied,
            null when report.Approval is ApprovalOutcome.Approved or ApprovalOutcome.PreApproved => Text.NotYetApplied,
            _ => Text.NotApplied,
        };
        return line + E($"{state} — {applied}");
    }

    private string Deadline(DateTimeOffset deadline)
    {
        var local = TimeZoneInfo.ConvertTime(deadline, clock.Zone);
        var zone = clock.Zone == TimeZoneInfo.Utc ? string.Empty : $"<b>{E(language.Date(local.DateTime))}</b> ({E(clock.Zone.Id)})<br>";
        return zone + E(language.Date(deadline.UtcDateTime)) + " UTC<br><b>" + E(language.Remaining(deadline - time.GetUtcNow())) + "</b> " + E(Text.TimeLeft);
    }

    private string Local(DateTimeOffset at) =>
        clock.Zone == TimeZoneInfo.Utc
            ? language.Date(at.UtcDateTime) + " UTC"
            : $"{language.Date(TimeZoneInfo.ConvertTime(at, clock.Zone).DateTime)} ({clock.Zone.Id}) · {at.UtcDateTime:HH:mm} UTC";

    private static void Row(StringBuilder html, string term, string valueHtml) =>
        html.Append("<dt>").Append(E(term)).Append("</dt><dd>").Append(valueHtml).Append("</dd>");

    private static void Hidden(StringBuilder html, string name, string value) =>
        html.Append("<input type=\"hidden\" name=\"").Append(name).Append("\" value=\"").Append(E(value)).Append("\">");

    /// <summary>Only https links to the incident: a javascript: or data: URL from a payload never becomes clickable.</summary>
    private static string? SafeLink(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps ? uri.AbsoluteUri : null;

    private void Open(StringBuilder html, string title) =>
        html.Append("<!DOCTYPE html><html lang=\"").Append(language.Tag).Append("\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>").Append(E(title)).Append("</title><style>")
            .Append(Css).Append("</style></head><body><main>");

    private static string Close(StringBuilder html) => html.Append("</main></body></html>").ToString();

    private static string E(string value) => Encoder.Encode(value);

    // Large targets (48 px and more), one column on a phone, nothing wider than the screen (long UPNs wrap anywhere).
    private const string Css =
        "*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}"
        + "body{margin:0;font:17px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;background:#fff}"
        + "main{max-width:46rem;margin:0 auto;padding:16px}"
        + "h1{font-size:1.45rem;line-height:1.25;margin:.25rem 0 1rem}h2{font-size:1.2rem;margin:1.25rem 0 .5rem}h3{font-size:1.05rem;margin:1.25rem 0 .25rem}"
        + ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}"
        + ".meta{color:#444;font-size:.95rem}.hint{color:#444;font-size:.92rem}.count{color:#444}"
        + ".id{font-family:ui-monospace,Consolas,monospace;font-size:.92em;overflow-wrap:anywhere}"
        + ".step{border:1px solid #bbb;border-radius:10px;padding:4px 16px 16px;margin:16px 0}"
        + "dl.summary{display:grid;grid-template-columns:12rem 1fr;gap:.4rem 1rem;margin:.5rem 0}"
        + "dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}"
        + "@media (max-width:600px){dl.summary{grid-template-columns:1fr;gap:0}dd{margin:0 0 .6rem}main{padding:12px}}"
        + "ul{padding-left:1.2rem;margin:.25rem 0}li{margin:.3rem 0;overflow-wrap:anywhere}"
        + ".org{border:3px solid #a4001d;background:#fdecee;border-radius:8px;padding:12px;margin:12px 0}"
        + ".bad,.warn{color:#8a0018}"
        + "details{margin:.4rem 0}summary{min-height:48px;padding:12px 4px;font-weight:600;cursor:pointer}"
        + ".choices{border:0;padding:0;margin:20px 0 8px;display:flex;flex-direction:column;gap:14px}"
        + ".choices legend{font-weight:700;font-size:1.1rem;margin-bottom:10px;padding:0}"
        + ".choice{display:flex;gap:14px;align-items:flex-start;min-height:64px;padding:14px 16px;border:2px solid #767676;border-radius:10px;cursor:pointer}"
        + ".choice input{width:28px;height:28px;margin:2px 0 0;flex:none}"
        + ".choice.reject{border-color:#1d5a96}"
        + ".choice.approve{border-color:#a4001d;border-style:dashed;margin-top:22px}"
        + ".choice:has(input:checked){border-style:solid;border-width:4px;background:#f1f5fb}"
        + ".choice.approve:has(input:checked){background:#fdecee}"
        + ".field label{display:block;font-weight:600}"
        + "textarea{display:block;width:100%;min-height:7rem;font:inherit;padding:10px;margin-top:6px;border:2px solid #767676;border-radius:8px}"
        + "button{display:block;width:100%;min-height:56px;margin-top:16px;font:inherit;font-weight:700;border:0;border-radius:10px;background:#1b1b1b;color:#fff;cursor:pointer}"
        + ".notice{border-left:6px solid #1d5a96;background:#f1f5fb;padding:12px}.notice.warn{border-color:#a4001d;background:#fdecee}"
        + ".status li{margin:.6rem 0}"
        + "a{color:#0b4f8a}:focus-visible{outline:3px solid #c25e00;outline-offset:3px}";
}
