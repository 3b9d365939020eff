using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Requests;

/// <summary>What to contain, validated: the input of a containment orchestration, whatever started it.</summary>
/// <param name="IncidentId">The incident's own id; one containment per incident.</param>
/// <param name="RequestedBy">Who asked: an analyst's UPN, "Microsoft Sentinel", "Entra ID Protection", "drill".</param>
public sealed record ContainmentRequest(
    string IncidentId,
    IReadOnlyList<CaseId> Cases,
    ContainmentTargets Targets,
    ContainmentMode Mode,
    string Reason,
    string RequestedBy)
{
    /// <summary>The incident's severity as its source rates it (Sentinel, Identity Protection risk level, the analyst); policy may act on it.</summary>
    public IncidentSeverity? Severity { get; init; }

    /// <summary>More targets than an ordinary containment may have (<see cref="Policy.IntakeLimits"/>): every step waits for a person, nothing is pre-approved or applied on timeout.</summary>
    public bool MassCompromise { get; init; }

    /// <summary>Set when intake (Sentinel, Identity Protection) started the containment: the triage, journaled first, and the incident to report to.</summary>
    public Intake.Triage.TriageResult? Triage { get; init; }
}

/// <summary>Microsoft Sentinel's incident severities; Identity Protection risk levels map onto them (high → High...).</summary>
public enum IncidentSeverity
{
    Informational,
    Low,
    Medium,
    High,
}

/// <summary>
/// The accounts, objects and indicators the incident names. Users, applications and mailboxes are as given (object
/// id, appId, UPN, address) until the containment resolves them against the directory.
/// </summary>
public sealed record ContainmentTargets(
    IReadOnlyList<string> Users,
    IReadOnlyList<string> Ips,
    IReadOnlyList<string> Countries)
{
    public static ContainmentTargets Empty { get; } = new([], [], []);

    /// <summary>Case 2: application (client) ids or service principal object ids.</summary>
    public IReadOnlyList<string> Applications { get; init; } = [];

    /// <summary>Case 5: mailboxes by primary address, besides the target users' own.</summary>
    public IReadOnlyList<string> Mailboxes { get; init; } = [];

    /// <summary>Case 4: sender domains the attacker used.</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];

    /// <summary>Case 3: Azure resource ids.</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];
}

public enum ContainmentMode
{
    /// <summary>Dry run: gather evidence and compute every change, apply nothing.</summary>
    Plan,

    /// <summary>Plan, then apply each change once approved (or pre-approved by policy).</summary>
    Contain,
}
