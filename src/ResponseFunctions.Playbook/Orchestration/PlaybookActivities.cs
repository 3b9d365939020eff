using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Journal;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>The activities of a containment. The names are what the Functions host registers; nothing else spells them.</summary>
public static class PlaybookActivities
{
    public const string PrepareName = "Containment_Prepare";
    public const string PlanStepName = "Containment_PlanStep";
    public const string RequestApprovalName = "Containment_RequestApproval";
    public const string ApplyStepName = "Containment_ApplyStep";
    public const string VerifyStepName = "Containment_VerifyStep";
    public const string RecordName = "Containment_Record";
    public const string ReportToIncidentName = "Containment_ReportToIncident";
    public const string CheckAlertsAfterIsolationName = "Containment_CheckAlertsAfterIsolation";

    public static ActivityDefinition<PrepareInput, PreparedContainment> Prepare { get; } =
        new(PrepareName, (a, input, ct) => a.PrepareAsync(input, ct));

    public static ActivityDefinition<StepContext, ActionPlan> PlanStep { get; } =
        new(PlanStepName, (a, input, ct) => a.PlanStepAsync(input, ct));

    public static ActivityDefinition<ApprovalRequest, bool> RequestApproval { get; } =
        new(RequestApprovalName, (a, input, ct) => a.RequestApprovalAsync(input, ct));

    public static ActivityDefinition<StepWork, ApplyResult> ApplyStep { get; } =
        new(ApplyStepName, (a, input, ct) => a.ApplyStepAsync(input, ct));

    public static ActivityDefinition<StepWork, VerifyResult> VerifyStep { get; } =
        new(VerifyStepName, (a, input, ct) => a.VerifyStepAsync(input, ct));

    public static ActivityDefinition<JournalEntry, bool> Record { get; } =
        new(RecordName, (a, input, ct) => a.RecordAsync(input, ct));

    public static ActivityDefinition<AlertCheckInput, bool> CheckAlertsAfterIsolation { get; } =
        new(CheckAlertsAfterIsolationName, (a, input, ct) => a.CheckAlertsAfterIsolationAsync(input, ct));

    public static ActivityDefinition<Intake.Reporting.IncidentReportInput, bool> ReportToIncident { get; } =
        new(ReportToIncidentName, (a, input, ct) => a.ReportToIncidentAsync(input, ct));
}

/// <summary>Input of <see cref="PlaybookActivities.Prepare"/>.</summary>
public sealed record PrepareInput(string InstanceId, Requests.ContainmentRequest Request, DateTimeOffset StartedAt);

/// <summary>A step and the plan an approver saw: apply and verify work from this, not from a new plan.</summary>
public sealed record StepWork(StepContext Step, ActionPlan Plan);

/// <summary>Input of <see cref="PlaybookActivities.CheckAlertsAfterIsolation"/>: the isolated resource's step and when isolation was verified.</summary>
public sealed record AlertCheckInput(StepContext Step, DateTimeOffset IsolatedAt);
