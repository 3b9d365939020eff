using Microsoft.Azure.Functions.Worker;
using ResponseFunctions.Playbook.Orchestration;

namespace ResponseFunctions.Activities;

/// <summary>The 3.a alert re-check (<see cref="PlaybookActivities.CheckAlertsAfterIsolationName"/>): delegates to <see cref="ContainmentActivities.CheckAlertsAfterIsolationAsync"/>.</summary>
public sealed class CheckAlertsAfterIsolationActivity(ContainmentActivities activities)
{
    [Function(PlaybookActivities.CheckAlertsAfterIsolationName)]
    public Task<bool> Run([ActivityTrigger] AlertCheckInput input, FunctionContext context) =>
        activities.CheckAlertsAfterIsolationAsync(input, context.CancellationToken);
}
