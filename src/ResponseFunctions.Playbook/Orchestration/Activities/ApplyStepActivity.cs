using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Orchestration.Activities;

/// <summary>Applies one approved step's planned changes, idempotently, journaling before and after.</summary>
[DurableTask(Name)]
public sealed class ApplyStepActivity(ContainmentActivities activities) : TaskActivity<StepWork, ApplyResult>
{
    public const string Name = "Containment_ApplyStep";

    public override Task<ApplyResult> RunAsync(TaskActivityContext context, StepWork input) =>
        activities.ApplyStepAsync(input, CancellationToken.None);
}
