using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>Where a containment stands: published as status while it runs, returned as its output when done.</summary>
public sealed record ContainmentReport(
    string InstanceId,
    string IncidentId,
    ContainmentMode Mode,
    ContainmentPhase Phase,
    IReadOnlyList<StepReport> Steps,
    IReadOnlyList<UnresolvedTarget> Unresolved,
    IReadOnlyList<ApprovalRequest> PendingApprovals)
{
    /// <summary>
    /// In the orchestration's output only: the main courante's chain head and entry count read after the last entry
    /// was written, a copy kept outside the storage account (verify the journal against it to detect a truncation or
    /// a rewrite). Null for a journal that is not chained (file, in-memory).
    /// </summary>
    public ChainAnchor? JournalAnchor { get; init; }
}

public enum ContainmentPhase
{
    Preparing,
    Planning,
    Planned,
    Containing,
    Completed,
}

/// <summary>One step's story: its plan, the gate's outcome and who decided, what apply and verify found.</summary>
public sealed record StepReport(
    int Index,
    ActionId Action,
    string Title,
    Priority Priority,
    ActionTarget Target,
    PlanStatus? Plan = null,
    string? Summary = null,
    ApprovalOutcome? Approval = null,
    string? DecidedBy = null,
    ApplyOutcome? Apply = null,
    VerifyOutcome? Verify = null,
    IReadOnlyList<string>? Warnings = null,
    ErrorInfo? Error = null);
