namespace ResponseFunctions.Playbook.Intake.Reporting;

/// <summary>Input of <see cref="Orchestration.Activities.ReportToIncidentActivity"/>: one phase's comment on the incident that started the containment.</summary>
public sealed record IncidentReportInput(string IncidentId, IncidentComment Comment);
