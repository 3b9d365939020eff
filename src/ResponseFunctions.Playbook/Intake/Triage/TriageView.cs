using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Intake.Triage;

/// <summary>The triage as people read it (what-if CLI, intake responses): case numbers, targets, reasons, what was set aside.</summary>
public sealed record TriageView(
    string Source,
    string? Title,
    IReadOnlyList<int> Cases,
    ContainmentTargets Targets,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<IgnoredEntity> Ignored,
    IReadOnlyList<Actions.Evidence> Evidence,
    IncidentSeverity? Severity)
{
    public static TriageView From(TriageResult triage) =>
        new(TriageJournal.Describe(triage.Source), triage.Source.Title, [.. triage.Cases.Select(c => (int)c)], triage.Targets, triage.Reasons,
            triage.Ignored, triage.Evidence, triage.Severity);
}
