using System.Net;
using System.Text;
using System.Web;
using ResponseFunctions.Playbook.Approval.Links;

namespace ResponseFunctions.Playbook.Approval.Page;

/// <summary>
/// The approval page as one HTTP exchange, whatever serves it: the Functions host (<c>ApprovalPageFunction</c>) and
/// the browser tests' Kestrel adapter both hand it the method, query token, form body and the Easy Auth and
/// Accept-Language headers, and write back what it returns. Decisions go to the orchestration through
/// <see cref="IApprovalDecisionSink"/> only after the page has validated, spent the link and journaled them.
/// </summary>
public sealed class ApprovalPageEndpoint(ApprovalPage? page, IApprovalDecisionSink sink)
{
    /// <summary>A form of a few steps and a 1000-character comment is far below this; anything larger is refused unread.</summary>
    public const int MaxFormBytes = 64 * 1024;

    /// <summary>
    /// The link token is in the URL: never sent on as a Referer; no script, no framing, forms post back here only.
    /// Source: MDN "Content-Security-Policy" (default-src, form-action, frame-ancestors, base-uri) and "Referrer-Policy".
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> SecurityHeaders { get; } =
    [
        new("Content-Type", "text/html; charset=utf-8"),
        new("Cache-Control", "no-store"),
        new("Referrer-Policy", "no-referrer"),
        new("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
        new("X-Content-Type-Options", "nosniff"),
    ];

    public async Task<PageResult> HandleAsync(PageHttpRequest request, CancellationToken cancellationToken)
    {
        var language = PageLanguage.FromAcceptLanguage(request.AcceptLanguage);
        // The host's authenticated principal when it gives one (the Functions host always does); the headers otherwise
        // (the browser tests' server, local development): see ApproverAuthentication for when headers can be trusted.
        var principal = request.TrustedPrincipal ?? ClientPrincipal.FromHeaders(request.PrincipalHeader, request.PrincipalIdHeader, request.PrincipalNameHeader);
        if (ApprovalPage.Refuse(principal, language) is { } refused)
        {
            return refused;
        }

        if (page is null)
        {
            return new PageResult(HttpStatusCode.ServiceUnavailable, Plain("Not configured", "Approvals:SigningKey is not configured."), []);
        }

        var view = await sink.ReadAsync(request.InstanceId, cancellationToken);
        if (!string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase))
        {
            return await page.ShowAsync(request.InstanceId, request.QueryToken, principal, view, language, cancellationToken);
        }

        if (request.FormBody is null)
        {
            return new PageResult(HttpStatusCode.RequestEntityTooLarge, Plain("Too large", "Form too large."), []);
        }

        if (ParseForm(request.FormBody) is not { } form)
        {
            return new PageResult(HttpStatusCode.BadRequest, Plain("Bad form", "A form field was given twice; nothing was recorded."), []);
        }

        var result = await page.SubmitAsync(request.InstanceId, form, principal, view, language, cancellationToken);
        foreach (var decision in result.Decisions)
        {
            // To the wave that asked (the containment itself in histories from before waves).
            await sink.RaiseAsync(ApprovalRequest.WaitingInstanceOf(view.Pending.FirstOrDefault(p => p.RequestId == decision.RequestId), request.InstanceId), decision, cancellationToken);
        }

        return result;
    }

    /// <summary>application/x-www-form-urlencoded, as browsers post it; null when a field is given twice (never "first" or "last one wins").</summary>
    public static IReadOnlyDictionary<string, string>? ParseForm(string body)
    {
        var form = HttpUtility.ParseQueryString(body);
        if (form.AllKeys.Any(k => k is null || form.GetValues(k)?.Length > 1))
        {
            return null;
        }

        return form.AllKeys.OfType<string>().ToDictionary(k => k, k => form[k] ?? string.Empty, StringComparer.Ordinal);
    }

    private static string Plain(string title, string detail)
    {
        var encoder = System.Text.Encodings.Web.HtmlEncoder.Default;
        return new StringBuilder("<!DOCTYPE html><html lang=\"en\"><title>").Append(encoder.Encode(title)).Append("</title><p>").Append(encoder.Encode(detail)).Append("</p></html>").ToString();
    }
}

/// <summary>What the page needs of an HTTP request. <paramref name="FormBody"/> is null when the body exceeded <see cref="ApprovalPageEndpoint.MaxFormBytes"/>.</summary>
public sealed record PageHttpRequest(
    string Method,
    string InstanceId,
    string? QueryToken,
    string? FormBody,
    string? PrincipalHeader,
    string? PrincipalIdHeader,
    string? PrincipalNameHeader,
    string? AcceptLanguage)
{
    /// <summary>A principal the host has already authenticated (Functions: <c>ApproverAuthentication</c>); when set, the headers are ignored.</summary>
    public ClientPrincipal? TrustedPrincipal { get; init; }
}
