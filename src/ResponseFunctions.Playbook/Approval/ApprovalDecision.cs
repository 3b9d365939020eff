namespace ResponseFunctions.Playbook.Approval;

/// <summary>An approver's answer, as raised to the waiting orchestration: who decided, when, and why.</summary>
public sealed record ApprovalDecision(
    string RequestId,
    ApprovalVerdict Verdict,
    string DecidedBy,
    DateTimeOffset DecidedAt,
    string? Comment)
{
    /// <summary>The approver's stable identity (Entra object id) when signed in: two-person rules count distinct ids, not display names.</summary>
    public string? DecidedById { get; init; }

    /// <summary>
    /// On a grouped request, the steps (targets) this approver left out of an approval: each is rejected by this
    /// approver and never changed, the others are approved. Ignored on a rejection (nothing is approved) and on a
    /// request for one target.
    /// </summary>
    public IReadOnlyList<int> Excluded { get; init; } = [];

    /// <summary>The identity of every decision taken with a function key: it names nobody.</summary>
    public const string FunctionKeyIdentity = "analyst (function key)";

    /// <summary>A signed-in person (an Entra object id), as a two-person rule requires; never a function key or a bare name.</summary>
    public bool IsSignedInPerson => DecidedById is { Length: > 0 } id && !string.Equals(id, FunctionKeyIdentity, StringComparison.Ordinal);
}

public enum ApprovalVerdict
{
    Approve,
    Reject,
}

/// <summary>How a step's gate ended. Never a bool: a timeout is not a rejection, and pre-approval is not a person's decision.</summary>
public enum ApprovalOutcome
{
    Approved,
    Rejected,
    TimedOut,

    /// <summary>Policy approves this action in advance.</summary>
    PreApproved,

    /// <summary>The action is not destructive: no gate.</summary>
    NotRequired,
}
