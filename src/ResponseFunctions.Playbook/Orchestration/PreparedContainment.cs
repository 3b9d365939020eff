using System.Text.Json.Serialization;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// The containment as prepared before any step runs: targets resolved against the directory, the ordered steps,
/// and the approval rules in force when it started.
/// </summary>
/// <param name="Actor">How the journal names the playbook (policy <c>ActorName</c>).</param>
public sealed record PreparedContainment(
    IncidentScope Scope,
    IReadOnlyList<UnresolvedTarget> Unresolved,
    [property: JsonConverter(typeof(StepTableJsonConverter))] IReadOnlyList<StepContext> Steps,
    ApprovalRules Approval,
    string Actor)
{
    /// <summary>The incident's severity from the request: shown on approval cards.</summary>
    public Requests.IncidentSeverity? Severity { get; init; }

    /// <summary>How the engine runs the activities: read from configuration by this activity, so every replay sees the same.</summary>
    public ContainmentEngineOptions Engine { get; init; } = new();
    /// <summary>The incident's reason, source and signals, and each target's roles: what every approval request shows.</summary>
    public Approval.IncidentBriefing? Briefing { get; init; }

    /// <summary>The approval context of a step's target (null for histories prepared before briefings existed).</summary>
    public Approval.ApprovalContext? ContextFor(ActionTarget target) => Briefing?.For(target);

    /// <summary>How long after a verified 3.a isolation the resource's alerts are checked again (policy Resources.AlertRecheckDelay).</summary>
    public TimeSpan AlertRecheckDelay { get; init; }
}

/// <summary>A target named by the request that the playbook will not act on, and why.</summary>
public sealed record UnresolvedTarget(string Value, string Reason);
