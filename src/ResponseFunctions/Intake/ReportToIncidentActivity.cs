using Microsoft.Azure.Functions.Worker;
using ResponseFunctions.Playbook.Intake.Reporting;
using ResponseFunctions.Playbook.Orchestration;

namespace ResponseFunctions.Intake;

/// <summary>The ReportToIncident activity (<see cref="PlaybookActivities.ReportToIncidentName"/>): delegates to <see cref="ContainmentActivities.ReportToIncidentAsync"/>.</summary>
public sealed class ReportToIncidentActivity(ContainmentActivities activities)
{
    [Function(PlaybookActivities.ReportToIncidentName)]
    public Task<bool> Run([ActivityTrigger] IncidentReportInput input, FunctionContext context) =>
        activities.ReportToIncidentAsync(input, context.CancellationToken);
}
