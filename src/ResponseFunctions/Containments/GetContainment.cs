using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using ResponseFunctions.Http;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Orchestration;

namespace ResponseFunctions.Containments;

/// <summary>
/// GET api/containments/{id}: where a containment stands (Durable's runtime status and the containment's small custom
/// status), every step's plan, decision, apply and verify outcome and the decisions it waits for (from the main
/// courante), and why it failed if it did. Each pending decision carries a fresh approval page link: a Teams card can
/// be lost after the webhook's 202, so this endpoint is the approvers' way in that never depends on Teams.
/// </summary>
public sealed class GetContainment(ContainmentState state, ApprovalLinks links)
{
    public const string Name = "GetContainment";

    [Function(Name)]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Routes.Containment)] HttpRequestData request,
        string id,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        var cancellationToken = context.CancellationToken;
        var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellation: cancellationToken);
        if (instance is null)
        {
            return await Problems.NotFoundAsync(request, $"No containment '{id}'.", cancellationToken);
        }

        var report = await state.ReadReportAsync(instance, cancellationToken);
        var view = new ContainmentView(
            instance.InstanceId,
            instance.RuntimeStatus,
            instance.CreatedAt,
            instance.LastUpdatedAt,
            ContainmentState.ReadStatus(instance),
            report,
            [.. (report?.PendingApprovals ?? []).Select(p => PendingApproval.From(p, Routes.ApprovalUri(request, instance.InstanceId, p.RequestId),
                links.TryPageFor(instance.InstanceId, [p.RequestId], p.Deadline)))],
            instance.RuntimeStatus == OrchestrationRuntimeStatus.Failed ? instance.FailureDetails?.ErrorMessage ?? "The orchestration failed." : null);
        return await HttpJson.WriteAsync(request, HttpStatusCode.OK, view, cancellationToken);
    }

    // The instance's input (the request) is deliberately not echoed: the report says what is being contained.
    internal sealed record ContainmentView(
        string Id,
        OrchestrationRuntimeStatus RuntimeStatus,
        DateTimeOffset CreatedAt,
        DateTimeOffset LastUpdatedAt,
        ContainmentStatus? Status,
        ContainmentReport? Report,
        IReadOnlyList<PendingApproval> PendingApprovals,
        string? Failure);

    /// <summary>A decision waiting for an approver, with where to post it.</summary>
    internal sealed record PendingApproval(
        string RequestId,
        int StepIndex,
        string Action,
        string Title,
        string Target,
        string Summary,
        bool Reversible,
        DateTimeOffset Deadline,
        Uri DecisionUri,
        Uri? ApprovalPage)
    {
        public static PendingApproval From(ApprovalRequest request, Uri decisionUri, Uri? approvalPage) =>
            new(request.RequestId, request.StepIndex, request.Action.Value, request.Title, request.Target.ToString(), request.Summary,
                request.Reversible, request.Deadline, decisionUri, approvalPage);
    }
}
