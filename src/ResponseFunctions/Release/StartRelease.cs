using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ResponseFunctions.Http;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Release;

namespace ResponseFunctions.Release;

/// <summary>
/// POST api/containments/{id}/release: starts the release of a finished containment (its own orchestration, instance id
/// derived from the incident and the selection). Body: {"steps": "all-reversible" | [{"action":"1.c","target":"…"}, "1.e"],
/// "reason": "…"}. Nothing starts unless the body is valid, every listed step matches one the containment applied,
/// the containment is finished and no release of the incident is running.
/// </summary>
public sealed class StartRelease(IJournal journal)
{
    public const string Name = "StartRelease";

    [Function(Name)]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.Release)] HttpRequestData request,
        string id,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        var cancellationToken = context.CancellationToken;
        var body = await HttpJson.ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return await Problems.InvalidRequestAsync(request, "$", $"The body is larger than {HttpJson.MaxBodyBytes} bytes.", cancellationToken);
        }

        var parsed = ReleaseRequestParser.Parse(body);
        if (!parsed.IsValid)
        {
            return await Problems.InvalidRequestAsync(request, parsed.Problems, cancellationToken);
        }

        var containment = id.StartsWith("containment-", StringComparison.Ordinal)
            ? await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellation: cancellationToken)
            : null;
        if (containment is null || ContainmentState.IncidentIdOf(containment) is not { } incidentId)
        {
            return await Problems.NotFoundAsync(request, $"No containment '{id}'.", cancellationToken);
        }

        var containmentUri = Routes.ContainmentUri(request, containment.InstanceId);
        if (ContainmentState.IsActive(containment))
        {
            return await Problems.ConflictAsync(request,
                $"Containment '{id}' is still {containment.RuntimeStatus}: release it once it has finished.", containmentUri, cancellationToken);
        }

        if (await OpenContainments.RunningReleaseAsync(client, incidentId, cancellationToken) is { } running)
        {
            return await Problems.ConflictAsync(request,
                $"A release of incident {incidentId} is already running ({running.InstanceId}): one at a time.", Routes.ContainmentUri(request, running.InstanceId), cancellationToken);
        }

        var applied = OpenContainments.AppliedSteps(containment.InstanceId, await journal.ReadAsync(incidentId, cancellationToken));
        if (OpenContainments.Unmatched(parsed.Selection!, applied) is { Count: > 0 } unmatched)
        {
            return await Problems.InvalidRequestAsync(request, unmatched, cancellationToken);
        }

        var releaseId = ReleaseIds.For(incidentId, parsed.Selection!);
        var statusUri = Routes.ContainmentUri(request, releaseId);
        if (await client.GetInstanceAsync(releaseId, getInputsAndOutputs: false, cancellation: cancellationToken) is { } done)
        {
            return await Problems.ConflictAsync(request,
                $"This release of incident {incidentId} already ran ({releaseId}, {done.RuntimeStatus}); release other steps by listing them.", statusUri, cancellationToken);
        }

        var release = new ReleaseRequest(incidentId, containment.InstanceId, parsed.Selection!, parsed.Reason!, Principal.FunctionKeyCaller)
        {
            OpenIncidents = await OpenContainments.OtherIncidentsAsync(client, incidentId, cancellationToken),
        };
        await client.ScheduleNewOrchestrationInstanceAsync(new TaskName(ReleaseOrchestrator.Name), release, new StartOrchestrationOptions(releaseId), cancellationToken);

        var response = await HttpJson.WriteAsync(request, HttpStatusCode.Accepted,
            new Started(releaseId, containment.InstanceId, incidentId, parsed.Selection!.ToString(), statusUri), cancellationToken);
        response.Headers.TryAddWithoutValidation("Location", statusUri.ToString());
        return response;
    }

    internal sealed record Started(string Id, string ContainmentId, string IncidentId, string Steps, Uri StatusUri);
}
