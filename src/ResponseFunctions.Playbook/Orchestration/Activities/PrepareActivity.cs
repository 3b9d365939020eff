using Microsoft.DurableTask;

namespace ResponseFunctions.Playbook.Orchestration.Activities;

/// <summary>Resolves the targets, orders the steps and journals the start (and intake's triage).</summary>
[DurableTask(Name)]
public sealed class PrepareActivity(ContainmentActivities activities) : TaskActivity<PrepareInput, PreparedContainment>
{
    public const string Name = "Containment_Prepare";

    public override Task<PreparedContainment> RunAsync(TaskActivityContext context, PrepareInput input) =>
        activities.PrepareAsync(input, CancellationToken.None);
}
