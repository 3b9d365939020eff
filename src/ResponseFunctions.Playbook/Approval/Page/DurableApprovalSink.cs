using Microsoft.DurableTask.Client;
using ResponseFunctions.Playbook.Orchestration;

namespace ResponseFunctions.Playbook.Approval.Page;

/// <summary>The approval page's view of a Durable containment (its report, from the main courante) and the way decisions reach it (external events).</summary>
public sealed class DurableApprovalSink(DurableTaskClient client, ContainmentState state) : IApprovalDecisionSink
{
    public async Task<ApprovalPageView> ReadAsync(string instanceId, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellation: cancellationToken);
        return instance is null ? ApprovalPageView.Empty : ApprovalPageView.From(await state.ReadReportAsync(instance, cancellationToken), ContainmentState.IsActive(instance));
    }

    public Task RaiseAsync(string instanceId, ApprovalDecision decision, CancellationToken cancellationToken) =>
        client.RaiseEventAsync(instanceId, ApprovalEvents.NameFor(decision.RequestId), decision, cancellationToken);
}
