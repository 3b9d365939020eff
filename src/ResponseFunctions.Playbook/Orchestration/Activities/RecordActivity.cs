using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Journal;

namespace ResponseFunctions.Playbook.Orchestration.Activities;

/// <summary>Appends one of the orchestration's own entries (decisions, completion) to the main courante.</summary>
[DurableTask(Name)]
public sealed class RecordActivity(ContainmentActivities activities) : TaskActivity<JournalEntry, bool>
{
    public const string Name = "Containment_Record";

    public override Task<bool> RunAsync(TaskActivityContext context, JournalEntry input) =>
        activities.RecordAsync(input, CancellationToken.None);
}
