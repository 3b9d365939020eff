using Microsoft.Azure.Functions.Worker;
using ResponseFunctions.Playbook.Orchestration;

namespace ResponseFunctions.Activities;

/// <summary>The Prepare activity (<see cref="PlaybookActivities.PrepareName"/>): delegates to <see cref="ContainmentActivities.PrepareAsync"/>.</summary>
public sealed class PrepareActivity(ContainmentActivities activities)
{
    [Function(PlaybookActivities.PrepareName)]
    public Task<PreparedContainment> Run([ActivityTrigger] PrepareInput input, FunctionContext context) =>
        activities.PrepareAsync(input, context.CancellationToken);
}
