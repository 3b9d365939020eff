using ResponseFunctions.Playbook.Journal;

namespace ResponseFunctions.Playbook.Approval;

/// <summary>Recognises the journal entries of a gate (<c>{instance}/{step}/decision…</c>, outcome <c>approval:…</c>) that deserve a follow-up card.</summary>
public static class ApprovalFollowUps
{
    public const string AwaitingSecondApprover = "approval:awaiting-second-approver";

    // Policy outcomes (not-required, pre-approved) were never asked in Teams: no follow-up for them.
    private static readonly HashSet<string> Posted =
        ["approval:approved", "approval:rejected", "approval:timed-out", "approval:timed-out-applied", AwaitingSecondApprover];

    public static ApprovalFollowUp? FromDecisionEntry(JournalEntry entry)
    {
        if (!Posted.Contains(entry.Outcome) || !Catalog.ActionId.TryParse(entry.Action, out var action))
        {
            return null;
        }

        var parts = entry.Id.Split('/');
        if (parts.Length < 3 || !parts[^1].StartsWith("decision", StringComparison.Ordinal) || !int.TryParse(parts[^2], out var stepIndex))
        {
            return null;
        }

        var instanceId = string.Join('/', parts[..^2]);
        var kind = entry.Outcome == AwaitingSecondApprover ? FollowUpKind.AwaitingSecondApprover : FollowUpKind.Decided;
        return new ApprovalFollowUp(kind, instanceId, entry.IncidentId, stepIndex, entry.Action, entry.Target, entry.Outcome, entry.Actor, entry.At,
            entry.Detail, ApprovalRequest.IdFor(stepIndex, action));
    }
}
