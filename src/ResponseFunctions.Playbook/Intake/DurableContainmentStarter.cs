using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Intake;

/// <summary>Intake's containments as Durable orchestrations, under the incident's deterministic instance id.</summary>
public sealed class DurableContainmentStarter(DurableTaskClient client) : IContainmentStarter
{
    public async Task<bool> ExistsAsync(string instanceId, CancellationToken cancellationToken) =>
        await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellation: cancellationToken) is not null;

    // Two deliveries racing past ExistsAsync carry the same instance id; the task hub refuses to schedule an id that is still active.
    public Task StartAsync(string instanceId, ContainmentRequest request, CancellationToken cancellationToken) =>
        client.ScheduleNewOrchestrationInstanceAsync(new TaskName(ContainmentOrchestrator.Name), request, new StartOrchestrationOptions(instanceId), cancellationToken);
}
