using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using ResponseFunctions.Http;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Containments;

/// <summary>
/// POST api/containments: validates an analyst's request and starts its containment, one per incident. Nothing is
/// scheduled unless the whole request is valid and the incident has no containment yet. The caps are intake's
/// (<c>Containment:IntakeLimits</c>): above the ordinary cap, and up to the mass-compromise cap when that path is on,
/// the containment is a mass compromise, where a person decides every step (grouped per action and wave).
/// </summary>
public sealed class StartContainment(IOptions<Playbook.Policy.ContainmentPolicy> policy)
{
    public const string Name = "StartContainment";

    [Function(Name)]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Routes.Containments)] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        var cancellationToken = context.CancellationToken;
        var body = await HttpJson.ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return await Problems.InvalidRequestAsync(request, "$", $"The body is larger than {HttpJson.MaxBodyBytes} bytes.", cancellationToken);
        }

        // A function key names nobody; a principal header on this route is not verified, so it is never the requester.
        var requestedBy = Principal.FunctionKeyCaller;
        var parsed = ContainmentRequestParser.Parse(body, requestedBy, policy.Value.IntakeLimits);
        if (parsed.Request is not { } containment)
        {
            return await Problems.InvalidRequestAsync(request, parsed.Problems, cancellationToken);
        }

        var instanceId = InstanceIds.ForIncident(containment.IncidentId);
        var statusUri = Routes.ContainmentUri(request, instanceId);
        if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellation: cancellationToken) is { } existing)
        {
            return await Problems.ConflictAsync(
                request,
                $"Incident {containment.IncidentId} already has a containment ({instanceId}, {existing.RuntimeStatus}); one containment per incident. Follow it at statusUri.",
                statusUri,
                cancellationToken);
        }

        // The check above is not atomic: two simultaneous requests for one incident can both get here. They carry the
        // same instance id, and the task hub refuses to schedule an id that is still active, so one of them fails.
        await client.ScheduleNewOrchestrationInstanceAsync(
            new TaskName(ContainmentOrchestrator.Name), containment, new StartOrchestrationOptions(instanceId), cancellationToken);

        var response = await HttpJson.WriteAsync(
            request,
            HttpStatusCode.Accepted,
            new Started(instanceId, containment.IncidentId, containment.Mode, statusUri) { MassCompromise = containment.MassCompromise },
            cancellationToken);
        response.Headers.TryAddWithoutValidation("Location", statusUri.ToString());
        return response;
    }

    internal sealed record Started(string Id, string IncidentId, ContainmentMode Mode, Uri StatusUri)
    {
        /// <summary>Above the ordinary cap: nothing is pre-approved or applied on timeout, a person decides every step.</summary>
        public bool MassCompromise { get; init; }
    }
}
