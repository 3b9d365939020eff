using Microsoft.DurableTask;

namespace ResponseFunctions.Playbook.Orchestration.Activities;

/// <summary>Applies and verifies one action's approved steps of a wave (several at once); what could not be done comes back marked, to be done alone with the engine's retry.</summary>
[DurableTask(Name)]
public sealed class ApplyStepsActivity(ContainmentActivities activities) : TaskActivity<WorkBatch, IReadOnlyList<StepOutcome>>
{
    public const string Name = "Containment_ApplySteps";

    public override Task<IReadOnlyList<StepOutcome>> RunAsync(TaskActivityContext context, WorkBatch input) =>
        activities.ApplyAndVerifyStepsAsync(input, CancellationToken.None);
}
