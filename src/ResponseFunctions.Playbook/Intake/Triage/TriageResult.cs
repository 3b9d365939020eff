using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Intake.Triage;

/// <summary>
/// What an incident calls for, and why: the sheet's cases, the targets they act on, the rule or signal behind each
/// case, and every entity set aside with the reason. The first entry of the containment's main courante.
/// </summary>
public sealed record TriageResult(
    IncidentSource Source,
    IReadOnlyList<CaseId> Cases,
    ContainmentTargets Targets,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<IgnoredEntity> Ignored)
{
    /// <summary>Entities kept for the investigation (mail messages, URLs, files...), never acted on.</summary>
    public IReadOnlyList<Actions.Evidence> Evidence { get; init; } = [];

    /// <summary>The incident's severity as its source rates it.</summary>
    public IncidentSeverity? Severity { get; init; }

    public bool CallsForContainment => Cases.Count > 0;
}

/// <summary>An entity the incident names that the containment will not act on, and why.</summary>
public sealed record IgnoredEntity(string Entity, string Why);
