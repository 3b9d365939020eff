using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Orchestration.Activities;

/// <summary>Plans one action's steps of a wave (several at once); a step whose plan could not be made comes back null, to be planned alone with the engine's retry.</summary>
[DurableTask(Name)]
public sealed class PlanStepsActivity(ContainmentActivities activities) : TaskActivity<StepBatch, IReadOnlyList<ActionPlan?>>
{
    public const string Name = "Containment_PlanSteps";

    public override Task<IReadOnlyList<ActionPlan?>> RunAsync(TaskActivityContext context, StepBatch input) =>
        activities.PlanStepsAsync(input, CancellationToken.None);
}
