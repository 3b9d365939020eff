using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Release.Activities;

/// <summary>Applies one approved restoring step, journaling its intent first and the before and after.</summary>
[DurableTask(Name)]
public sealed class ApplyReleaseStepActivity(ReleaseActivities activities) : TaskActivity<ReleaseWork, ApplyResult>
{
    public const string Name = "Release_ApplyStep";

    public override Task<ApplyResult> RunAsync(TaskActivityContext context, ReleaseWork input) =>
        activities.ApplyStepAsync(input, CancellationToken.None);
}
