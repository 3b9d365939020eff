using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Intake.Reporting;

namespace ResponseFunctions.Playbook.Orchestration.Activities;

/// <summary>Writes one phase's comment on the Sentinel incident and journals whether it could.</summary>
[DurableTask(Name)]
public sealed class ReportToIncidentActivity(ContainmentActivities activities) : TaskActivity<IncidentReportInput, bool>
{
    public const string Name = "Containment_ReportToIncident";

    public override Task<bool> RunAsync(TaskActivityContext context, IncidentReportInput input) =>
        activities.ReportToIncidentAsync(input, CancellationToken.None);
}
