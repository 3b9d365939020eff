using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Policy;

/// <summary>
/// The part of the policy an orchestration needs to gate its steps, captured once when the containment starts so
/// that a configuration change mid-incident cannot change the decisions of a replaying orchestration.
/// </summary>
public sealed record ApprovalRules(TimeSpan Timeout, IReadOnlyList<ActionId> PreApproved)
{
    public static ApprovalRules From(ContainmentPolicy policy) =>
        new(policy.ApprovalTimeout, [.. policy.PreApprovedActions.Select(ActionId.Parse)]);

    /// <summary>The gate's answer before anyone is asked: null means a person must decide.</summary>
    public ApprovalOutcome? DecideWithoutAsking(ActionId action) =>
        !ActionCatalog.Get(action).Destructive ? ApprovalOutcome.NotRequired
        : PreApproved.Contains(action) ? ApprovalOutcome.PreApproved
        : null;
}
