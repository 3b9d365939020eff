using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Journal;

namespace ResponseFunctions.Playbook.Orchestration.Activities;

/// <summary>
/// The containment's last activity: reads the main courante's chain head and entry count once everything is recorded,
/// so the orchestration's output keeps a copy of the anchor outside the storage account. Null for a journal that is not chained.
/// </summary>
[DurableTask(Name)]
public sealed class ReadJournalAnchorActivity(ContainmentActivities activities) : TaskActivity<string, ChainAnchor?>
{
    public const string Name = "Containment_ReadJournalAnchor";

    public override Task<ChainAnchor?> RunAsync(TaskActivityContext context, string input) =>
        activities.ReadJournalAnchorAsync(input, CancellationToken.None);
}
