using System.Net;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Journal;

namespace ResponseFunctions.Playbook.Approval.Page;

/// <summary>
/// The approval page, host-agnostic: who may see it (signed-in holder of <see cref="ApprovalOptions.ApproverRole"/>),
/// what it shows (the link's pending requests), and what a submission does (CSRF check, single use of the link,
/// decisions journaled with the approver's identity and time). The host fetches the pending requests and raises the
/// returned decisions to the orchestration.
/// </summary>
public sealed class ApprovalPage(
    ApprovalTokens tokens,
    CsrfTokens csrf,
    IApprovalTokenLedger ledger,
    IJournal journal,
    TimeProvider time)
{
    public const int MaxComment = 1000;

    public const string TokenField = "token";
    public const string CsrfField = "csrf";
    public const string CommentField = "comment";
    public const string DecisionFieldPrefix = "decision:";

    /// <summary>GET: the requests of the link that are still pending, as a form.</summary>
    public PageResult Show(string instanceId, string? token, ClientPrincipal? principal, IReadOnlyList<ApprovalRequest> pending)
    {
        if (Refuse(principal) is { } refused)
        {
            return refused;
        }

        var check = tokens.Validate(token, instanceId);
        if (RefuseToken(check) is { } badToken)
        {
            return badToken;
        }

        var link = check.Token!;
        var mine = pending.Where(p => link.RequestIds.Contains(p.RequestId, StringComparer.Ordinal)).ToList();
        if (mine.Count == 0)
        {
            return Fail(HttpStatusCode.Conflict, "Nothing left to decide", "The steps of this link are no longer waiting for a decision (decided, timed out, or the containment ended).");
        }

        return new PageResult(HttpStatusCode.OK, ApprovalPageHtml.Form(instanceId, mine, principal!, token!, csrf.Issue(principal!.Id, link.Id)), []);
    }

    /// <summary>POST: validates everything, spends the link, journals and returns the decisions to raise.</summary>
    public async Task<PageResult> SubmitAsync(
        string instanceId, IReadOnlyDictionary<string, string> form, ClientPrincipal? principal, IReadOnlyList<ApprovalRequest> pending, CancellationToken cancellationToken)
    {
        if (Refuse(principal) is { } refused)
        {
            return refused;
        }

        var decided = form
            .Where(f => f.Key.StartsWith(DecisionFieldPrefix, StringComparison.Ordinal) && f.Value is "approve" or "reject")
            .ToDictionary(f => f.Key[DecisionFieldPrefix.Length..], f => f.Value == "approve" ? ApprovalVerdict.Approve : ApprovalVerdict.Reject, StringComparer.Ordinal);
        var check = tokens.Validate(form.GetValueOrDefault(TokenField), instanceId, decided.Keys);
        if (RefuseToken(check) is { } badToken)
        {
            return badToken;
        }

        var link = check.Token!;
        if (!csrf.IsValid(form.GetValueOrDefault(CsrfField), principal!.Id, link.Id))
        {
            return Fail(HttpStatusCode.Forbidden, "Form expired or forged", "This form was not issued to you for this link, or it is too old. Open the link from Teams again.");
        }

        var comment = form.GetValueOrDefault(CommentField)?.Trim();
        if (comment?.Length > MaxComment)
        {
            return Fail(HttpStatusCode.BadRequest, "Comment too long", $"At most {MaxComment} characters.");
        }

        if (decided.Count == 0)
        {
            return Fail(HttpStatusCode.BadRequest, "No decision", "Choose approve or reject for at least one step.");
        }

        var requests = pending.Where(p => decided.ContainsKey(p.RequestId)).ToList();
        if (requests.Count != decided.Count)
        {
            return Fail(HttpStatusCode.Conflict, "Already decided", "At least one of these steps is no longer waiting for a decision; nothing was recorded.");
        }

        var now = time.GetUtcNow();
        if (!await ledger.TrySpendAsync(link.Id, principal.Id, now, cancellationToken))
        {
            return Fail(HttpStatusCode.Conflict, "Link already used", "Each approval link works once. Ask for a new link (the step's follow-up card) if a decision is still needed.");
        }

        var decisions = new List<ApprovalDecision>();
        foreach (var request in requests)
        {
            var decision = new ApprovalDecision(request.RequestId, decided[request.RequestId], principal.Name, now, string.IsNullOrEmpty(comment) ? null : comment)
            {
                DecidedById = principal.Id,
            };
            decisions.Add(decision);
            await journal.AppendAsync(
                new JournalEntry($"{instanceId}/{request.StepIndex:00}/page-{link.Id}", now, request.IncidentId, principal.Name, request.Action.Value,
                    request.Target.ToString(), decision.Verdict == ApprovalVerdict.Approve ? "approval:submitted-approve" : "approval:submitted-reject",
                    $"{principal.Name} (object id {principal.Id}) {(decision.Verdict == ApprovalVerdict.Approve ? "approved" : "rejected")} request {request.RequestId} "
                    + $"on the approval page at {now:u}." + (decision.Comment is { } c ? $" Comment: {c}" : string.Empty)),
                cancellationToken);
        }

        return new PageResult(HttpStatusCode.OK, ApprovalPageHtml.Done(decisions, requests), decisions);
    }

    private static PageResult? Refuse(ClientPrincipal? principal) =>
        principal is null
            ? Fail(HttpStatusCode.Unauthorized, "Sign-in required", "This page needs a signed-in Microsoft Entra user (App Service Authentication).")
            : !principal.HasRole(ApprovalOptions.ApproverRole)
                ? Fail(HttpStatusCode.Forbidden, "Not an approver", $"Your account does not hold the app role {ApprovalOptions.ApproverRole}.")
                : null;

    private static PageResult? RefuseToken(TokenCheck check) => check.Status switch
    {
        TokenStatus.Valid => null,
        TokenStatus.Expired => Fail(HttpStatusCode.Gone, "Link expired", "The decision deadline of this link has passed."),
        TokenStatus.Foreign => Fail(HttpStatusCode.Forbidden, "Wrong link", "This link belongs to another containment or other steps."),
        _ => Fail(HttpStatusCode.Forbidden, "Invalid link", "The link is malformed or its signature does not match."),
    };

    private static PageResult Fail(HttpStatusCode status, string title, string detail) =>
        new(status, ApprovalPageHtml.Message(title, detail), []);
}

/// <summary>What the host writes back (HTML) and, after a valid submission, the decisions it raises.</summary>
public sealed record PageResult(HttpStatusCode Status, string Html, IReadOnlyList<ApprovalDecision> Decisions);
