using Microsoft.Extensions.Options;

namespace ResponseFunctions.Playbook.Approval.Links;

/// <summary>Builds the approval page links cards carry: each with a fresh single-use token valid until the request's deadline.</summary>
public sealed class ApprovalLinks(ApprovalTokens tokens, IOptions<ApprovalOptions> options)
{
    /// <summary>The page's route under the Functions route prefix "api".</summary>
    public const string Route = "containments/{id}/approve";

    /// <summary>The page link, or null when no page is configured (Approvals:PageBaseUrl).</summary>
    public Uri? TryPageFor(string instanceId, IReadOnlyList<string> requestIds, DateTimeOffset expires) =>
        options.Value.PageBaseUrl is null ? null : PageFor(instanceId, requestIds, expires);

    public Uri PageFor(string instanceId, IReadOnlyList<string> requestIds, DateTimeOffset expires)
    {
        var root = options.Value.PageBaseUrl ?? throw new InvalidOperationException("Approvals:PageBaseUrl is not set.");
        var token = tokens.Issue(instanceId, requestIds, expires);
        return new Uri(root, $"/api/containments/{Uri.EscapeDataString(instanceId)}/approve?token={Uri.EscapeDataString(token)}");
    }
}
