using Microsoft.Azure.Functions.Worker;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Orchestration;

namespace ResponseFunctions.Activities;

/// <summary>The VerifyStep activity (<see cref="PlaybookActivities.VerifyStepName"/>): delegates to <see cref="ContainmentActivities.VerifyStepAsync"/>.</summary>
public sealed class VerifyStepActivity(ContainmentActivities activities)
{
    [Function(PlaybookActivities.VerifyStepName)]
    public Task<VerifyResult> Run([ActivityTrigger] StepWork input, FunctionContext context) =>
        activities.VerifyStepAsync(input, context.CancellationToken);
}
