using Microsoft.Azure.Functions.Worker;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Orchestration;

namespace ResponseFunctions.Activities;

/// <summary>The ApplyStep activity (<see cref="PlaybookActivities.ApplyStepName"/>): delegates to <see cref="ContainmentActivities.ApplyStepAsync"/>.</summary>
public sealed class ApplyStepActivity(ContainmentActivities activities)
{
    [Function(PlaybookActivities.ApplyStepName)]
    public Task<ApplyResult> Run([ActivityTrigger] StepWork input, FunctionContext context) =>
        activities.ApplyStepAsync(input, context.CancellationToken);
}
