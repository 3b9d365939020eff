using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Orchestration.Activities;

/// <summary>Reads the tenant again to confirm one applied step.</summary>
[DurableTask(Name)]
public sealed class VerifyStepActivity(ContainmentActivities activities) : TaskActivity<StepWork, VerifyResult>
{
    public const string Name = "Containment_VerifyStep";

    public override Task<VerifyResult> RunAsync(TaskActivityContext context, StepWork input) =>
        activities.VerifyStepAsync(input, CancellationToken.None);
}
