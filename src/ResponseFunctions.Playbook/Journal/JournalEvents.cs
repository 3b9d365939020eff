namespace ResponseFunctions.Playbook.Journal;

/// <summary>The <see cref="JournalEntry.Action"/> of entries that are events rather than sheet actions.</summary>
public static class JournalEvents
{
    public const string Started = "containment.started";
    public const string TargetUnresolved = "target.unresolved";
    public const string Prepared = "containment.prepared";
    public const string Planned = "containment.planned";
    public const string ApprovalRequested = "approval.requested";
    public const string Completed = "containment.completed";
}
