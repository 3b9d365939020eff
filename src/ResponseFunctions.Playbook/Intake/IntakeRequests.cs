using ResponseFunctions.Playbook.Intake.Triage;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Intake;

/// <summary>Turns a triage into the containment it calls for.</summary>
public static class IntakeRequests
{
    /// <summary>
    /// Mode "contain": every destructive step still waits for a person's approval (or the policy's pre-approval),
    /// exactly as when an analyst asks. Null when the triage calls for no case.
    /// </summary>
    public static ContainmentRequest? From(TriageResult triage, string incidentId, string requestedBy) =>
        triage.CallsForContainment
            ? new ContainmentRequest(incidentId, triage.Cases, triage.Targets, ContainmentMode.Contain, Reason(triage), requestedBy)
            {
                Severity = triage.Severity,
                Triage = triage,
            }
            : null;

    private static string Reason(TriageResult triage)
    {
        var reason = $"{triage.Source.System} {triage.Source.Number} '{triage.Source.Title}': {string.Join(" ", triage.Reasons)}";
        return reason.Length <= 1000 ? reason : reason[..997] + "...";
    }
}
