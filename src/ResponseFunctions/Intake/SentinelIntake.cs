using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using ResponseFunctions.Http;
using ResponseFunctions.Playbook.Intake;
using ResponseFunctions.Playbook.Intake.Sentinel;
using ResponseFunctions.Playbook.Intake.Triage;
using ResponseFunctions.Playbook.Release;

namespace ResponseFunctions.Intake;

/// <summary>
/// POST api/intake/sentinel: the body of the "Microsoft Sentinel incident" trigger (or of the alert trigger), forwarded
/// unchanged by the relay Logic App. Triage picks the cases and targets; the containment starts in "contain" mode
/// (every destructive step still waits for approval), once per incident: later deliveries are journaled as duplicates.
/// Answers 2xx for anything it could read, so the relay does not retry a decision. An incident closed as a false
/// positive starts no containment: it proposes the release of the incident's containment (plan mode, never applied).
/// </summary>
public sealed class SentinelIntake(IntakeDispatcher dispatcher, TriageTable table)
{
    public const string Name = "SentinelIntake";
    public const string Route = "intake/sentinel";

    [Function(Name)]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Route)] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        var cancellationToken = context.CancellationToken;
        var body = await HttpJson.ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return await Problems.InvalidRequestAsync(request, "$", $"The body is larger than {HttpJson.MaxBodyBytes} bytes.", cancellationToken);
        }

        SentinelIncident incident;
        try
        {
            incident = SentinelPayloadParser.Parse(body);
        }
        catch (SentinelPayloadException ex)
        {
            return await Problems.InvalidRequestAsync(request, "$", ex.Message, cancellationToken);
        }

        // Closed as a false positive: nothing is contained; the release of the incident's containment is proposed (planned, never applied).
        if (FalsePositiveRelease.IsClosedAsFalsePositive(incident))
        {
            var incidentId = SentinelTriage.IncidentIdFor(incident);
            var (proposal, instanceId) = await FalsePositiveRelease.ProposeAsync(client, incidentId, incident.Title, cancellationToken);
            var proposalUri = instanceId is null ? null : Routes.ContainmentUri(request, instanceId);
            return await HttpJson.WriteAsync(request, proposal == ReleaseProposal.Proposed ? HttpStatusCode.Accepted : HttpStatusCode.OK,
                new Proposed(proposal, incidentId, instanceId, proposalUri), cancellationToken);
        }

        var triage = SentinelTriage.Triage(incident, table);
        var outcome = await dispatcher.DispatchAsync(
            triage, SentinelTriage.IncidentIdFor(incident), IncidentSource.Sentinel, incident.DeliveryId ?? Playbook.Intake.IntakeIds.DeterministicGuid(body).ToString(),
            new DurableContainmentStarter(client), cancellationToken);

        var statusUri = outcome.InstanceId is { } id ? Routes.ContainmentUri(request, id) : null;
        var response = await HttpJson.WriteAsync(
            request,
            outcome.Status == IntakeStatus.Started ? HttpStatusCode.Accepted : HttpStatusCode.OK,
            new Accepted(outcome.Status, outcome.IncidentId, outcome.InstanceId, statusUri, outcome.NewTargets, TriageView.From(triage))
            {
                FollowUp = outcome.FollowUpInstanceId is { } followUp ? Routes.ContainmentUri(request, followUp) : null,
            },
            cancellationToken);
        if (statusUri is not null)
        {
            response.Headers.TryAddWithoutValidation("Location", statusUri.ToString());
        }

        return response;
    }

    /// <summary>The answer to an incident closed as a false positive: the release proposal (plan mode), or why there is none.</summary>
    internal sealed record Proposed(ReleaseProposal ReleaseProposal, string IncidentId, string? Id, Uri? StatusUri);

    internal sealed record Accepted(IntakeStatus Status, string IncidentId, string? Id, Uri? StatusUri, IReadOnlyList<string> NewTargets, TriageView Triage)
    {
        /// <summary>The follow-up containment started for an update's new targets (its status URI).</summary>
        public Uri? FollowUp { get; init; }
    }
}
