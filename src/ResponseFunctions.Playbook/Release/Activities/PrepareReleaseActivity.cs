using Microsoft.DurableTask;

namespace ResponseFunctions.Playbook.Release.Activities;

/// <summary>Reads the containment's journaled steps and the other open containments, journals the release's start and what cannot be undone, and lists the restoring steps.</summary>
[DurableTask(Name)]
public sealed class PrepareReleaseActivity(ReleaseActivities activities) : TaskActivity<ReleasePrepareInput, PreparedRelease>
{
    public const string Name = "Release_Prepare";

    public override Task<PreparedRelease> RunAsync(TaskActivityContext context, ReleasePrepareInput input) =>
        activities.PrepareAsync(input, CancellationToken.None);
}
