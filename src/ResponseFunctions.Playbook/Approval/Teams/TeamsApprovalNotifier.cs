using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Approval.Teams;

/// <summary>
/// Posts approval cards, and their follow-ups, to a Teams Workflows webhook. Delivery failures are logged (status
/// code only: the URL is a secret) and never thrown: a containment must not stop because Teams is down, and the
/// pending request stays in the status endpoint and the journal.
/// </summary>
public sealed partial class TeamsApprovalNotifier(
    HttpClient http,
    IOptions<TeamsOptions> options,
    ApprovalLinks links,
    ITargetRoles roles,
    IOptions<ContainmentPolicy> policy,
    ILogger<TeamsApprovalNotifier> logger) : IApprovalNotifier
{
    public async Task NotifyAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        var targetRoles = request.Context?.TargetRoles ?? await roles.RolesOfAsync(request.Target, cancellationToken);
        var page = links.PageFor(request.InstanceId, [request.RequestId], request.Deadline);
        await PostAsync(CardSizeCap.Request(request, targetRoles, page, Page.PageLanguage.FromTag(options.Value.Language)), "request", cancellationToken);
    }

    public async Task NotifyFollowUpAsync(ApprovalFollowUp followUp, CancellationToken cancellationToken)
    {
        // The first approver spent their link; the second gets a fresh one, valid no longer than a whole approval window.
        var second = followUp is { Kind: FollowUpKind.AwaitingSecondApprover, RequestId: { } requestId }
            ? links.PageFor(followUp.InstanceId, [requestId], followUp.At + policy.Value.ApprovalTimeout)
            : null;
        await PostAsync(ApprovalCards.FollowUp(followUp, second, Page.PageLanguage.FromTag(options.Value.Language)), followUp.Kind.ToString(), cancellationToken);
    }

    private async Task PostAsync(JsonObject message, string kind, CancellationToken cancellationToken)
    {
        var webhook = options.Value.WebhookUrl ?? throw new InvalidOperationException("Teams:WebhookUrl is not set.");
        try
        {
            using var response = await http.PostAsJsonAsync(webhook, message, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                LogRefused(kind, (int)response.StatusCode);
            }
        }
        catch (HttpRequestException ex)
        {
            LogUnreachable(kind, ex.HttpRequestError);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(kind, HttpRequestError.Unknown);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams webhook refused the {Kind} card: HTTP {Status}")]
    private partial void LogRefused(string kind, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams webhook unreachable for the {Kind} card ({Error})")]
    private partial void LogUnreachable(string kind, HttpRequestError error);
}
