using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Orchestration.Activities;

/// <summary>Plans one step, read-only, and journals the evidence and the exact changes.</summary>
[DurableTask(Name)]
public sealed class PlanStepActivity(ContainmentActivities activities) : TaskActivity<StepContext, ActionPlan>
{
    public const string Name = "Containment_PlanStep";

    public override Task<ActionPlan> RunAsync(TaskActivityContext context, StepContext input) =>
        activities.PlanStepAsync(input, CancellationToken.None);
}
