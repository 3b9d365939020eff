using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Orchestration;

/// <summary>The Durable orchestrator: the playbook's <see cref="ContainmentOrchestration"/>, nothing more.</summary>
public static class ContainmentOrchestrator
{
    [Function(ContainmentOrchestration.Name)]
    public static Task<ContainmentReport> Run([OrchestrationTrigger] TaskOrchestrationContext context) =>
        ContainmentOrchestration.RunAsync(
            new DurableContainmentContext(context),
            context.GetInput<ContainmentRequest>() ?? throw new InvalidOperationException($"{ContainmentOrchestration.Name} needs a {nameof(ContainmentRequest)} input."));
}
