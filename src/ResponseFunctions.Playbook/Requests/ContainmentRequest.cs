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
    string RequestedBy);

/// <summary>The accounts and indicators the incident names. Users are object ids or UPNs until resolved.</summary>
public sealed record ContainmentTargets(
    IReadOnlyList<string> Users,
    IReadOnlyList<string> Ips,
    IReadOnlyList<string> Countries)
{
    public static ContainmentTargets Empty { get; } = new([], [], []);
}

public enum ContainmentMode
{
    /// <summary>Dry run: gather evidence and compute every change, apply nothing.</summary>
    Plan,

    /// <summary>Plan, then apply each change once approved (or pre-approved by policy).</summary>
    Contain,
}
