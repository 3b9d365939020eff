using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Journal;

namespace ResponseFunctions.Playbook.Orchestration.Activities;

/// <summary>Appends several of the orchestration's own entries (one action's decisions across a wave) to the main courante, in order.</summary>
[DurableTask(Name)]
public sealed class RecordManyActivity(ContainmentActivities activities) : TaskActivity<IReadOnlyList<JournalEntry>, bool>
{
    public const string Name = "Containment_RecordMany";

    public override Task<bool> RunAsync(TaskActivityContext context, IReadOnlyList<JournalEntry> input) =>
        activities.RecordManyAsync(input, CancellationToken.None);
}
