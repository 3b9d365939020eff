using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ResponseFunctions.Playbook.Intake.Sentinel;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Release;

/// <summary>
/// When the Sentinel incident behind a containment is closed as a false positive, the release of every reversible step
/// is proposed: planned (the journaled before-state against the tenant now, in the main courante), never applied. A
/// person starts the release itself (POST api/containments/{id}/release), where every step is approved again.
/// </summary>
public static class FalsePositiveRelease
{
    public const string RequestedBy = "Microsoft Sentinel (incident closed as false positive)";

    /// <summary>Sentinel's incident status "Closed" with classification "FalsePositive" (Microsoft.SecurityInsights incident properties).</summary>
    public static bool IsClosedAsFalsePositive(SentinelIncident incident) =>
        string.Equals(incident.Status, "Closed", StringComparison.OrdinalIgnoreCase)
        && string.Equals(incident.Classification, "FalsePositive", StringComparison.OrdinalIgnoreCase);

    /// <summary>Starts the proposal (plan mode) once per incident; what happened, and the proposal's instance id when there is one.</summary>
    public static async Task<(ReleaseProposal Outcome, string? InstanceId)> ProposeAsync(DurableTaskClient client, string incidentId, string? reason, CancellationToken cancellationToken)
    {
        var containment = await client.GetInstanceAsync(InstanceIds.ForIncident(incidentId), getInputsAndOutputs: false, cancellation: cancellationToken);
        if (containment is null)
        {
            return (ReleaseProposal.NoContainment, null);
        }

        if (ContainmentState.IsActive(containment))
        {
            return (ReleaseProposal.ContainmentRunning, containment.InstanceId);
        }

        var proposalId = ReleaseIds.For(incidentId, ReleaseSelection.All, ContainmentMode.Plan);
        if (await client.GetInstanceAsync(proposalId, getInputsAndOutputs: false, cancellation: cancellationToken) is not null)
        {
            return (ReleaseProposal.AlreadyProposed, proposalId);
        }

        var request = new ReleaseRequest(incidentId, containment.InstanceId, ReleaseSelection.All,
            $"Sentinel incident closed as a false positive{(string.IsNullOrWhiteSpace(reason) ? string.Empty : $": {reason}")}. Proposed release; nothing is applied.",
            RequestedBy, ContainmentMode.Plan)
        {
            OpenIncidents = await OpenContainments.OtherIncidentsAsync(client, incidentId, cancellationToken),
        };
        await client.ScheduleNewOrchestrationInstanceAsync(new TaskName(ReleaseOrchestrator.Name), request, new StartOrchestrationOptions(proposalId), cancellationToken);
        return (ReleaseProposal.Proposed, proposalId);
    }
}

public enum ReleaseProposal
{
    Proposed,
    AlreadyProposed,
    NoContainment,
    ContainmentRunning,
}
