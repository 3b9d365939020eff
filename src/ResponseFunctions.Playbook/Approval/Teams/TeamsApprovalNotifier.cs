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
    public async Task<CardDelivery> NotifyAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        var targetRoles = request.Context?.TargetRoles ?? await roles.RolesOfAsync(request.Target, cancellationToken);
        var page = links.PageFor(request.InstanceId, [request.RequestId], request.Deadline);
        return await PostAsync(CardSizeCap.Request(request, targetRoles, page, Page.PageLanguage.FromTag(options.Value.Language)), "request", cancellationToken);
    }

    public async Task NotifyFollowUpAsync(ApprovalFollowUp followUp, CancellationToken cancellationToken)
    {
        // The first approver spent their link; the second gets a fresh one, valid no longer than a whole approval window.
        var second = followUp is { Kind: FollowUpKind.AwaitingSecondApprover, RequestId: { } requestId }
            ? links.PageFor(followUp.InstanceId, [requestId], followUp.At + policy.Value.ApprovalTimeout)
            : null;
        await PostAsync(ApprovalCards.FollowUp(followUp, second, Page.PageLanguage.FromTag(options.Value.Language)), followUp.Kind.ToString(), cancellationToken);
    }

    /// <remarks>A 2xx only means the Workflows trigger accepted the request: it answers 202 and posts inside the flow,
    /// where a card can still fail (../shared/reference/microsoft-apis.md §10b). So "sent", never "delivered".</remarks>
    private async Task<CardDelivery> PostAsync(JsonObject message, string kind, CancellationToken cancellationToken)
    {
        var webhook = options.Value.WebhookUrl ?? throw new InvalidOperationException("Teams:WebhookUrl is not set.");
        try
        {
            using var response = await http.PostAsJsonAsync(webhook, message, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                LogRefused(kind, (int)response.StatusCode);
                return new CardDelivery(CardDeliveryStatus.NotSent, $"The Teams webhook refused the card (HTTP {(int)response.StatusCode}).");
            }

            return new CardDelivery(CardDeliveryStatus.Sent,
                $"Card sent to the Teams webhook (HTTP {(int)response.StatusCode}, {CardSizeCap.SizeOf(message)} bytes); the flow posts it later, so nobody is known to have seen it.");
        }
        catch (HttpRequestException ex)
        {
            LogUnreachable(kind, ex.HttpRequestError);
            return new CardDelivery(CardDeliveryStatus.NotSent, $"The Teams webhook was unreachable ({ex.HttpRequestError}).");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(kind, HttpRequestError.Unknown);
            return new CardDelivery(CardDeliveryStatus.NotSent, "The Teams webhook did not answer in time.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams webhook refused the {Kind} card: HTTP {Status}")]
    private partial void LogRefused(string kind, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams webhook unreachable for the {Kind} card ({Error})")]
    private partial void LogUnreachable(string kind, HttpRequestError error);
}
