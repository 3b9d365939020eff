using System.Globalization;
using System.Net;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Journal;

namespace ResponseFunctions.Playbook.Approval.Page;

/// <summary>
/// The approval page, host-agnostic: who may see it (signed-in holder of <see cref="ApprovalOptions.ApproverRole"/>),
/// what it shows (the link's pending requests), and what a submission does (CSRF check, single use of the link,
/// decisions journaled with the approver's identity and time). The host fetches the containment's state and raises
/// the returned decisions to the orchestration (<see cref="ApprovalPageEndpoint"/> does both).
/// </summary>
public sealed class ApprovalPage(
    ApprovalTokens tokens,
    CsrfTokens csrf,
    IApprovalTokenLedger ledger,
    IJournal journal,
    TimeProvider time,
    ApprovalPageClock? clock = null)
{
    public const int MaxComment = 1000;

    public const string TokenField = "token";
    public const string CsrfField = "csrf";
    public const string CommentField = "comment";
    public const string DecisionFieldPrefix = "decision:";
    public const string ExcludeFieldPrefix = "exclude:";

    /// <summary>The box that excludes the target of step <paramref name="stepIndex"/> from a grouped request's approval.</summary>
    public static string ExcludeField(string requestId, int stepIndex) => $"{ExcludeFieldPrefix}{requestId}:{stepIndex}";

    private readonly ApprovalPageClock _clock = clock ?? new ApprovalPageClock(TimeZoneInfo.Utc);

    public PageResult Show(string instanceId, string? token, ClientPrincipal? principal, IReadOnlyList<ApprovalRequest> pending) =>
        Show(instanceId, token, principal, ApprovalPageView.Of(pending), PageLanguage.English);

    /// <summary>GET: the requests of the link that are still pending, as a form.</summary>
    public PageResult Show(string instanceId, string? token, ClientPrincipal? principal, ApprovalPageView view, PageLanguage language)
    {
        var html = Html(language);
        if (Refuse(principal, html) is { } refused)
        {
            return refused;
        }

        var check = tokens.Validate(token, instanceId);
        if (RefuseToken(check, view, html, comment: null) is { } badToken)
        {
            return badToken;
        }

        var link = check.Token!;
        var mine = Mine(link, view);
        if (mine.Count == 0)
        {
            return html.Status(HttpStatusCode.OK, html.Text.NothingLeftTitle, html.Text.NothingLeftDetail, Context(link, view), html.Text.NothingToDo, null, alarming: false);
        }

        return new PageResult(HttpStatusCode.OK, html.Form(instanceId, mine, principal!, token!, csrf.Issue(principal!.Id, link.Id), notice: null, comment: null), []);
    }

    /// <summary>
    /// GET as hosts serve it: a link someone already used says who used it and how (from the journal) instead of
    /// offering a form that could only be refused.
    /// </summary>
    public async Task<PageResult> ShowAsync(string instanceId, string? token, ClientPrincipal? principal, ApprovalPageView view, PageLanguage language, CancellationToken cancellationToken)
    {
        var check = tokens.Validate(token, instanceId);
        if (principal is not null && principal.HasRole(ApprovalOptions.ApproverRole) && check.Status == TokenStatus.Valid
            && await SubmissionsAsync(instanceId, check.Token!, view, cancellationToken) is { Count: > 0 } used)
        {
            var html = Html(language);
            return html.Status(HttpStatusCode.OK, html.Text.UsedTitle, html.Text.UsedBefore, Context(check.Token!, view, used), html.Text.AskNewLink, null, alarming: false);
        }

        return Show(instanceId, token, principal, view, language);
    }

    public Task<PageResult> SubmitAsync(
        string instanceId, IReadOnlyDictionary<string, string> form, ClientPrincipal? principal, IReadOnlyList<ApprovalRequest> pending, CancellationToken cancellationToken) =>
        SubmitAsync(instanceId, form, principal, ApprovalPageView.Of(pending), PageLanguage.English, cancellationToken);

    /// <summary>POST: validates everything, spends the link, journals and returns the decisions to raise.</summary>
    public async Task<PageResult> SubmitAsync(
        string instanceId, IReadOnlyDictionary<string, string> form, ClientPrincipal? principal, ApprovalPageView view, PageLanguage language, CancellationToken cancellationToken)
    {
        var html = Html(language);
        if (Refuse(principal, html) is { } refused)
        {
            return refused;
        }

        var comment = form.GetValueOrDefault(CommentField)?.Trim();
        var decided = form
            .Where(f => f.Key.StartsWith(DecisionFieldPrefix, StringComparison.Ordinal) && f.Value is "approve" or "reject")
            .ToDictionary(f => f.Key[DecisionFieldPrefix.Length..], f => f.Value == "approve" ? ApprovalVerdict.Approve : ApprovalVerdict.Reject, StringComparer.Ordinal);
        var token = form.GetValueOrDefault(TokenField);
        var check = tokens.Validate(token, instanceId, decided.Keys);
        if (RefuseToken(check, view, html, comment) is { } badToken)
        {
            return badToken;
        }

        var link = check.Token!;
        var mine = Mine(link, view);

        // A form left open too long is shown again, comment kept: the approver only has to submit again.
        if (!csrf.IsValid(form.GetValueOrDefault(CsrfField), principal!.Id, link.Id))
        {
            return csrf.IsOwnExpired(form.GetValueOrDefault(CsrfField), principal.Id, link.Id) && mine.Count > 0
                ? Again(HttpStatusCode.Forbidden, html.Text.FormExpiredNotice)
                : html.Status(HttpStatusCode.Forbidden, html.Text.FormForgedTitle, html.Text.FormForgedDetail, Context(link, view), html.Text.OpenFromTeams, comment, alarming: true);
        }

        if (comment?.Length > MaxComment)
        {
            return Again(HttpStatusCode.BadRequest, string.Format(CultureInfo.InvariantCulture, html.Text.CommentTooLongNotice, MaxComment));
        }

        if (decided.Count == 0)
        {
            return Again(HttpStatusCode.BadRequest, html.Text.NoDecisionNotice);
        }

        var requests = view.Pending.Where(p => decided.ContainsKey(p.RequestId)).ToList();
        if (requests.Count != decided.Count)
        {
            return html.Status(HttpStatusCode.Conflict, html.Text.NothingLeftTitle, html.Text.NothingLeftDetail, Context(link, view), html.Text.NothingToDo, comment, alarming: false);
        }

        var now = time.GetUtcNow();

        // Two-person steps: one approval per person, decided atomically by the ledger before the link is spent, so a
        // person who already approved is told so and the link they opened stays usable by the other approver.
        foreach (var request in requests.Where(r => r.RequiredApprovals > 1 && decided[r.RequestId] == ApprovalVerdict.Approve))
        {
            if (!await ledger.TrySpendAsync(ApproverSlot(instanceId, request.RequestId, principal.Id), principal.Id, now, cancellationToken))
            {
                return html.Status(HttpStatusCode.Conflict, html.Text.AlreadyApprovedTitle, html.Text.AlreadyApprovedDetail, Context(link, view), html.Text.AskNewLink, comment, alarming: false);
            }
        }

        if (!await ledger.TrySpendAsync(link.Id, principal.Id, now, cancellationToken))
        {
            var used = await SubmissionsAsync(instanceId, link, view, cancellationToken);
            return html.Status(HttpStatusCode.Conflict, html.Text.UsedTitle, html.Text.UsedDetail, Context(link, view, used), html.Text.AskNewLink, comment, alarming: false);
        }

        var decisions = new List<ApprovalDecision>();
        foreach (var request in requests)
        {
            // Only the request's own targets can be excluded, and only from an approval; a box for anything else is ignored.
            List<int> excluded = request.IsGrouped && decided[request.RequestId] == ApprovalVerdict.Approve
                ? [.. request.Targets.Where(t => form.ContainsKey(ExcludeField(request.RequestId, t.StepIndex))).Select(t => t.StepIndex)]
                : [];
            var decision = new ApprovalDecision(request.RequestId, decided[request.RequestId], principal.Name, now, string.IsNullOrEmpty(comment) ? null : comment)
            {
                DecidedById = principal.Id,
            };
            if (excluded.Count > 0)
            {
                decision = decision with { Excluded = excluded };
            }

            decisions.Add(decision);
            await journal.AppendAsync(
                new JournalEntry($"{instanceId}/{request.StepIndex:00}/page-{link.Id}", now, request.IncidentId, principal.Name, request.Action.Value,
                    request.Target.ToString(), decision.Verdict == ApprovalVerdict.Approve ? "approval:submitted-approve" : "approval:submitted-reject",
                    $"{principal.Name} (object id {principal.Id}) {(decision.Verdict == ApprovalVerdict.Approve ? "approved" : "rejected")} request {request.RequestId} "
                    + $"on the approval page at {now:u}."
                    + (excluded.Count > 0 ? $" Excluded {excluded.Count} of {request.Targets.Count} targets: {string.Join(", ", request.Targets.Where(t => excluded.Contains(t.StepIndex)).Select(t => t.Target.ToString()))}." : string.Empty)
                    + (decision.Comment is { } c ? $" Comment: {c}" : string.Empty))
                {
                    Data = System.Text.Json.JsonSerializer.SerializeToElement(new { approverId = principal.Id, excluded }, JournalJson.Options),
                },
                cancellationToken);
        }

        return new PageResult(HttpStatusCode.OK, html.Done(decisions, requests, await ApprovalsSoFarAsync(instanceId, requests, cancellationToken)), decisions);

        PageResult Again(HttpStatusCode status, string notice) =>
            mine.Count == 0
                ? html.Status(status, html.Text.NothingLeftTitle, html.Text.NothingLeftDetail, Context(link, view), html.Text.NothingToDo, comment, alarming: false)
                : new(status, html.Form(instanceId, mine, principal, token!, csrf.Issue(principal.Id, link.Id), notice, comment), []);
    }

    /// <summary>A ledger id (32 hex) for "this person approved this request": spent once, whatever link they use.</summary>
    internal static string ApproverSlot(string instanceId, string requestId, string principalId) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"two-person/{instanceId}/{requestId}/{principalId.ToLowerInvariant()}")))[..32];

    /// <summary>How many distinct people approved each request on this page so far (from the journal, this submission included).</summary>
    private async Task<IReadOnlyDictionary<string, int>> ApprovalsSoFarAsync(string instanceId, IReadOnlyList<ApprovalRequest> requests, CancellationToken cancellationToken)
    {
        if (requests.Count == 0 || requests.All(r => r.RequiredApprovals <= 1))
        {
            return new Dictionary<string, int>();
        }

        var entries = await journal.ReadAsync(requests[0].IncidentId, cancellationToken);
        return requests.ToDictionary(
            r => r.RequestId,
            r => entries.Where(e => e.Id.StartsWith($"{instanceId}/{r.StepIndex:00}/page-", StringComparison.Ordinal) && e.Outcome == "approval:submitted-approve")
                .Select(e => e.Data is { ValueKind: System.Text.Json.JsonValueKind.Object } d && d.TryGetProperty("approverId", out var id) ? id.GetString() : e.Actor)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Count(),
            StringComparer.Ordinal);
    }

    /// <summary>The refusal for a caller who is not signed in or not an approver (the host uses it before reading any state).</summary>
    public static PageResult? Refuse(ClientPrincipal? principal, PageLanguage language) => Refuse(principal, new ApprovalPageHtml(language, new ApprovalPageClock(TimeZoneInfo.Utc), TimeProvider.System));

    private static PageResult? Refuse(ClientPrincipal? principal, ApprovalPageHtml html) =>
        principal is null
            ? html.Status(HttpStatusCode.Unauthorized, html.Text.SignInTitle, html.Text.SignInDetail, [], html.Text.OpenFromTeams, null, alarming: false)
            : !principal.HasRole(ApprovalOptions.ApproverRole)
                ? html.Status(HttpStatusCode.Forbidden, html.Text.NotApproverTitle, string.Format(CultureInfo.InvariantCulture, html.Text.NotApproverDetail, ApprovalOptions.ApproverRole),
                    [], html.Text.AskAdmin, null, alarming: false)
                : null;

    private static PageResult? RefuseToken(TokenCheck check, ApprovalPageView view, ApprovalPageHtml html, string? comment) => check.Status switch
    {
        TokenStatus.Valid => null,
        TokenStatus.Expired => html.Status(HttpStatusCode.Gone, html.Text.ExpiredTitle, html.Text.ExpiredDetail, Context(check.Token!, view), html.Text.AskNewLink, comment, alarming: false),
        TokenStatus.Foreign => html.Status(HttpStatusCode.Forbidden, html.Text.ForeignTitle, html.Text.ForeignDetail, [], html.Text.OpenFromTeams, comment, alarming: true),
        _ => html.Status(HttpStatusCode.Forbidden, html.Text.InvalidTitle, html.Text.InvalidDetail, [], html.Text.OpenFromTeams, comment, alarming: true),
    };

    private ApprovalPageHtml Html(PageLanguage language) => new(language, _clock, time);

    private static List<ApprovalRequest> Mine(LinkToken link, ApprovalPageView view) =>
        [.. view.Pending.Where(p => link.RequestIds.Contains(p.RequestId, StringComparer.Ordinal))];

    /// <summary>Each step of the link as the containment knows it now: pending, decided by whom, applied or not, and what was submitted with this link.</summary>
    private static IReadOnlyList<StepStatus> Context(LinkToken link, ApprovalPageView view, IReadOnlyList<JournalEntry>? submitted = null) =>
        [.. link.RequestIds.Select(id => new StepStatus(id, view.Pending.FirstOrDefault(p => p.RequestId == id), view.StepOf(id),
            [.. (submitted ?? []).Where(e => e.Id.StartsWith($"{link.InstanceId}/{id.Split('-')[0]}/", StringComparison.Ordinal))]))];

    /// <summary>The decisions submitted with this link, as the page journaled them (entry ids end in "/page-{link id}").</summary>
    private async Task<IReadOnlyList<JournalEntry>> SubmissionsAsync(string instanceId, LinkToken link, ApprovalPageView view, CancellationToken cancellationToken)
    {
        var incidentId = view.IncidentId ?? view.Pending.FirstOrDefault()?.IncidentId;
        if (incidentId is null)
        {
            return [];
        }

        var suffix = "/page-" + link.Id;
        return [.. (await journal.ReadAsync(incidentId, cancellationToken))
            .Where(e => e.Id.StartsWith(instanceId + "/", StringComparison.Ordinal) && e.Id.EndsWith(suffix, StringComparison.Ordinal))];
    }
}

/// <summary>A step named by a link, for status pages: its pending request, or the report of how it ended.</summary>
internal sealed record StepStatus(string RequestId, ApprovalRequest? Pending, Orchestration.StepReport? Report, IReadOnlyList<JournalEntry> Submitted);

/// <summary>The time zone the approvers live in (<c>Approvals:TimeZone</c>): deadlines show in it and in UTC.</summary>
public sealed record ApprovalPageClock(TimeZoneInfo Zone);

/// <summary>What the host writes back (HTML) and, after a valid submission, the decisions it raises.</summary>
public sealed record PageResult(HttpStatusCode Status, string Html, IReadOnlyList<ApprovalDecision> Decisions);
