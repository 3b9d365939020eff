using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;

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
    /// <summary>A request id readable in a URL and unique within its containment: "03-1c".</summary>
    public static string IdFor(int stepIndex, ActionId action) => $"{stepIndex:00}-{action.Compact}";
}
