namespace ResponseFunctions.Playbook.Approval;

/// <summary>
/// What happened to a step after its approval card: posted as a follow-up card so the channel shows the outcome next
/// to the request. Built from the journal entry that records it, so the card and the main courante say the same.
/// </summary>
/// <param name="Kind">Decided (gate ended or awaits a second approver) or Applied.</param>
/// <param name="Outcome">The journal outcome, e.g. "approval:approved", "approval:timed-out-applied", "apply:applied".</param>
/// <param name="RequestId">The approval request, when the step was asked for (a second-approver card links to it).</param>
public sealed record ApprovalFollowUp(
    FollowUpKind Kind,
    string InstanceId,
    string IncidentId,
    int StepIndex,
    string Action,
    string Target,
    string Outcome,
    string By,
    DateTimeOffset At,
    string Detail,
    string? RequestId);

public enum FollowUpKind
{
    Decided,
    AwaitingSecondApprover,
    Applied,
}
