using Microsoft.DurableTask.Client;
using ResponseFunctions.Containments;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Approval.Page;

namespace ResponseFunctions.Approvals;

/// <summary>The approval page's view of a Durable containment (its published report) and the way decisions reach it (external events).</summary>
public sealed class DurableApprovalSink(DurableTaskClient client) : IApprovalDecisionSink
{
    public async Task<ApprovalPageView> ReadAsync(string instanceId, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellation: cancellationToken);
        return instance is null ? ApprovalPageView.Empty : ApprovalPageView.From(ContainmentState.ReadReport(instance), ContainmentState.IsActive(instance));
    }

    public Task RaiseAsync(string instanceId, ApprovalDecision decision, CancellationToken cancellationToken) =>
        client.RaiseEventAsync(instanceId, ApprovalEvents.NameFor(decision.RequestId), decision, cancellationToken);
}
