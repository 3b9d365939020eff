using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Release.Activities;

/// <summary>Reads the tenant again after a restoring step.</summary>
[DurableTask(Name)]
public sealed class VerifyReleaseStepActivity(ReleaseActivities activities) : TaskActivity<ReleaseWork, VerifyResult>
{
    public const string Name = "Release_VerifyStep";

    public override Task<VerifyResult> RunAsync(TaskActivityContext context, ReleaseWork input) =>
        activities.VerifyStepAsync(input, CancellationToken.None);
}
