using System.Text.Json.Serialization;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Approval;

/// <summary>What an approver is asked to decide: one step's exact changes, its evidence and impact, and the deadline.</summary>
public sealed record ApprovalRequest(
    string RequestId,
    string InstanceId,
    string IncidentId,
    int StepIndex,
    ActionId Action,
    string Title,
    ActionTarget Target,
    string Summary,
    IReadOnlyList<PlannedChange> Changes,
    IReadOnlyList<Evidence> Evidence,
    IReadOnlyList<string> Warnings,
    bool Reversible,
    DateTimeOffset RequestedAt,
    DateTimeOffset Deadline)
{
    /// <summary>The incident's severity, shown to the approver and matched by the timeout policy.</summary>
    public IncidentSeverity? Severity { get; init; }

    /// <summary>How many distinct people must approve: 2 for tier-0 changes under policy <c>TwoPersonActions</c>.</summary>
    public int RequiredApprovals { get; init; } = 1;

    /// <summary>What happens if nobody decides before <see cref="Deadline"/> (policy <c>TimeoutPolicy</c>).</summary>
    public TimeoutAction OnTimeout { get; init; } = TimeoutAction.Abort;

    /// <summary>Why the approver is asked: the incident's reason, requester, source and what implicates this target (null in older histories).</summary>
    public ApprovalContext? Context { get; init; }

    /// <summary>
    /// A grouped request (one per action and wave): every target it covers, with its own changes and the number of
    /// people it needs. Empty for a request on one target, which <see cref="Target"/> and <see cref="Changes"/> describe.
    /// For a group, <see cref="StepIndex"/>, <see cref="Target"/> and <see cref="Changes"/> are its first target's, and
    /// <see cref="RequiredApprovals"/> the most any of its targets needs.
    /// </summary>
    public IReadOnlyList<ApprovalTarget> Targets { get; init; } = [];

    /// <summary>Whether this request covers several targets (and its decisions may exclude some of them).</summary>
    [JsonIgnore]
    public bool IsGrouped => Targets.Count > 1;

    /// <summary>How many distinct people must approve the change on the target of step <paramref name="stepIndex"/>.</summary>
    public int RequiredFor(int stepIndex) => Targets.FirstOrDefault(t => t.StepIndex == stepIndex)?.RequiredApprovals ?? RequiredApprovals;

    /// <summary>
    /// The instance that waits for this decision: the containment's wave (a sub-orchestration) that asked. Decisions are
    /// raised there; <see cref="InstanceId"/> stays the containment's id, which the API, links and journal name. Null in
    /// histories from before waves: the containment itself waited.
    /// </summary>
    public string? WaitingInstanceId { get; init; }

    /// <summary>
    /// Where a decision on this request is raised for containment <paramref name="containmentId"/>: its wave that asked,
    /// and never an instance that is not one of this containment's waves (the containment itself then).
    /// </summary>
    public static string WaitingInstanceOf(ApprovalRequest? request, string containmentId) =>
        request?.WaitingInstanceId is { } waiting && waiting.StartsWith(containmentId + ":wave-", StringComparison.Ordinal) ? waiting : containmentId;

    /// <summary>A request id readable in a URL and unique within its containment: "03-1c".</summary>
    public static string IdFor(int stepIndex, ActionId action) => $"{stepIndex:00}-{action.Compact}";
}

/// <summary>One target of a grouped approval request: its step, what changes on it, and how many people must approve it.</summary>
public sealed record ApprovalTarget(
    int StepIndex,
    ActionTarget Target,
    string Summary,
    IReadOnlyList<PlannedChange> Changes,
    IReadOnlyList<string> Warnings,
    int RequiredApprovals)
{
    /// <summary>The target's directory roles (read when the request is sent).</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];
}
