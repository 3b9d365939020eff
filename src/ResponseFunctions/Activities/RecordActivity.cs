using Microsoft.Azure.Functions.Worker;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;

namespace ResponseFunctions.Activities;

/// <summary>The Record activity (<see cref="PlaybookActivities.RecordName"/>): delegates to <see cref="ContainmentActivities.RecordAsync"/>.</summary>
public sealed class RecordActivity(ContainmentActivities activities)
{
    [Function(PlaybookActivities.RecordName)]
    public Task<bool> Run([ActivityTrigger] JournalEntry input, FunctionContext context) =>
        activities.RecordAsync(input, context.CancellationToken);
}
