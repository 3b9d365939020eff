using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Intake.Reporting;

/// <summary>
/// The orchestration's side of incident reporting: one activity call per phase when the containment came from a
/// Sentinel incident, nothing otherwise. A comment that cannot be written is journaled by the activity and never
/// stops the containment.
/// </summary>
internal static class IncidentReporting
{
    public static async Task ReportAsync(IContainmentContext context, ContainmentRequest request, IncidentPhase phase, ContainmentReport report)
    {
        if (request.Triage?.Source.SentinelIncidentArmId is not { } armId)
        {
            return;
        }

        try
        {
            await context.CallActivityAsync(
                PlaybookActivities.ReportToIncident,
                new IncidentReportInput(request.IncidentId, IncidentComments.For(context.InstanceId, armId, phase, report)));
        }
        catch (ActivityFailedException)
        {
            // Journaled by the activity's last attempt when it could; the containment matters more than the comment.
        }
    }
}

/// <summary>Input of <see cref="PlaybookActivities.ReportToIncident"/>.</summary>
public sealed record IncidentReportInput(string IncidentId, IncidentComment Comment);
