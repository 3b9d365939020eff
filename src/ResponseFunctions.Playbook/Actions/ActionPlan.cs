using System.Text.Json;
using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Actions;

/// <summary>
/// The read-only result of planning one step: what was found (evidence) and the exact changes apply would make.
/// An approver approves these changes, and apply makes no others.
/// </summary>
public sealed record ActionPlan(
    ActionId Action,
    ActionTarget Target,
    PlanStatus Status,
    string Summary,
    IReadOnlyList<Evidence> Evidence,
    IReadOnlyList<PlannedChange> Changes,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The state read while planning, journaled so the change can be investigated or undone.</summary>
    public JsonElement? Before { get; init; }

    public ErrorInfo? Error { get; init; }
}

public enum PlanStatus
{
    /// <summary>The target is not in the desired state; <see cref="ActionPlan.Changes"/> lists what to do.</summary>
    ChangeRequired,

    /// <summary>Already contained: nothing to change.</summary>
    NothingToDo,

    /// <summary>A safety rule forbids the change (protected principal, last trusted Global Administrators, the playbook's own identity).</summary>
    Refused,

    /// <summary>The sheet lists the action, this version of the playbook does not perform it yet: do it by hand.</summary>
    NotBuilt,

    /// <summary>Planning itself failed (permissions, throttling beyond retries, not found).</summary>
    Failed,
}

/// <summary>A fact found while planning, shown to the approver and journaled.</summary>
public sealed record Evidence(string Label, string Value);
