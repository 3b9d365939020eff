using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using ResponseFunctions.Http;
using ResponseFunctions.Playbook.Journal;

namespace ResponseFunctions.Journal;

/// <summary>
/// GET api/containments/{id}/journal/verify[?anchor=count:hash]: checks the incident's keyed main courante (and,
/// with the anchor from a Sentinel comment or an earlier export, that it was not cut short) and reports the first
/// bad entry. 200 with intact=true, 409 with the first bad line, 404 for an unknown containment, 501 for a file journal.
/// </summary>
public sealed class VerifyJournal(IJournal journal)
{
    public const string Name = "VerifyJournal";
    public const string Route = "containments/{id}/journal/verify";

    [Function(Name)]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Route)] HttpRequestData request,
        string id,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        var cancellationToken = context.CancellationToken;
        if (!JournalRequest.TryReadAnchor(request, out var anchor))
        {
            return await Problems.InvalidRequestAsync(request, "anchor", "count:hash, as printed by a Sentinel comment or an export.", cancellationToken);
        }

        if (await JournalRequest.IncidentOfAsync(client, id, cancellationToken) is not { } incidentId)
        {
            return await Problems.NotFoundAsync(request, $"No containment '{id}'.", cancellationToken);
        }

        if (journal is not IVerifiableJournal chained)
        {
            return await HttpJson.WriteAsync(request, HttpStatusCode.NotImplemented,
                new { incidentId = incidentId, intact = (bool?)null, problem = "File journals are not chained; configure blob journal storage." }, cancellationToken);
        }

        var verification = await chained.VerifyAsync(incidentId, anchor, cancellationToken);
        return await HttpJson.WriteAsync(request, verification.Intact ? HttpStatusCode.OK : HttpStatusCode.Conflict, new
        {
            incidentId = incidentId,
            intact = verification.Intact,
            entries = verification.Entries,
            firstBadLine = verification.FirstBrokenLine,
            problem = verification.Problem,
            head = verification.Head?.ToString(),
            anchorChecked = anchor?.ToString(),
        }, cancellationToken);
    }
}
