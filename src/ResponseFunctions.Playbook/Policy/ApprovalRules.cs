using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Policy;

/// <summary>
/// The part of the policy an orchestration needs to gate its steps, captured once when the containment starts so
/// that a configuration change mid-incident cannot change the decisions of a replaying orchestration.
/// </summary>
public sealed record ApprovalRules(TimeSpan Timeout, IReadOnlyList<ActionId> PreApproved)
{
    /// <summary>Tier-0 actions needing two distinct approvers (policy <c>TwoPersonActions</c>).</summary>
    public IReadOnlyList<ActionId> TwoPerson { get; init; } = [];

    /// <summary>Actions applied when their approval times out, already matched against this incident's severity.</summary>
    public IReadOnlyList<ActionId> ApplyOnTimeout { get; init; } = [];

    public static ApprovalRules From(ContainmentPolicy policy) =>
        new(policy.ApprovalTimeout, [.. policy.PreApprovedActions.Select(ActionId.Parse)])
        {
            TwoPerson = [.. policy.TwoPersonActions.Select(id => ActionId.Parse(TwoPersonRule.Normalize(id)))],
        };

    /// <summary>The rules for one incident: the timeout policy resolved against its severity once, at start.</summary>
    public static ApprovalRules From(ContainmentPolicy policy, Requests.IncidentSeverity? severity) =>
        From(policy) with { ApplyOnTimeout = TimeoutRules.ApplyOnTimeout(policy.TimeoutPolicy, severity) };

    /// <summary>The gate's answer before anyone is asked: null means a person must decide.</summary>
    public ApprovalOutcome? DecideWithoutAsking(ActionId action) =>
        !ActionCatalog.Get(action).Destructive ? ApprovalOutcome.NotRequired
        : PreApproved.Contains(action) ? ApprovalOutcome.PreApproved
        : null;
}
