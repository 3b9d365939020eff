using Microsoft.Azure.Functions.Worker;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Orchestration;

namespace ResponseFunctions.Activities;

/// <summary>The PlanStep activity (<see cref="PlaybookActivities.PlanStepName"/>): delegates to <see cref="ContainmentActivities.PlanStepAsync"/>.</summary>
public sealed class PlanStepActivity(ContainmentActivities activities)
{
    [Function(PlaybookActivities.PlanStepName)]
    public Task<ActionPlan> Run([ActivityTrigger] StepContext input, FunctionContext context) =>
        activities.PlanStepAsync(input, context.CancellationToken);
}
