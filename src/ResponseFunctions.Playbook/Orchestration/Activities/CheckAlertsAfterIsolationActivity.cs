using Microsoft.DurableTask;

namespace ResponseFunctions.Playbook.Orchestration.Activities;

/// <summary>3.a: after isolation, asks the Log Analytics workspace for security alerts on the resource since then, and journals what it found.</summary>
[DurableTask(Name)]
public sealed class CheckAlertsAfterIsolationActivity(ContainmentActivities activities) : TaskActivity<AlertCheckInput, bool>
{
    public const string Name = "Containment_CheckAlertsAfterIsolation";

    public override Task<bool> RunAsync(TaskActivityContext context, AlertCheckInput input) =>
        activities.CheckAlertsAfterIsolationAsync(input, CancellationToken.None);
}
