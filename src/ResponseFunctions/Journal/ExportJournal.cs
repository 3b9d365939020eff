using System.Net;
using System.Text;
using System.Web;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using ResponseFunctions.Http;
using ResponseFunctions.Playbook.Journal;

namespace ResponseFunctions.Journal;

/// <summary>GET api/containments/{id}/journal?format=jsonl|csv|md|html: the incident's main courante, for the CERT and the case file.</summary>
public sealed class ExportJournal(IJournal journal)
{
    public const string Name = "ExportJournal";
    public const string Route = "containments/{id}/journal";

    [Function(Name)]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Route)] HttpRequestData request,
        string id,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        var cancellationToken = context.CancellationToken;
        var format = (HttpUtility.ParseQueryString(request.Url.Query)["format"] ?? "jsonl").Trim().ToLowerInvariant();
        if (!JournalExport.Formats.Contains(format))
        {
            return await Problems.InvalidRequestAsync(request, "format", $"One of: {string.Join(", ", JournalExport.Formats)}.", cancellationToken);
        }

        if (await JournalRequest.IncidentOfAsync(client, id, cancellationToken) is not { } incidentId)
        {
            return await Problems.NotFoundAsync(request, $"No containment '{id}'.", cancellationToken);
        }

        if (!JournalRequest.TryReadAnchor(request, out var anchor))
        {
            return await Problems.InvalidRequestAsync(request, "anchor", "count:hash, as printed by a Sentinel comment or an earlier export.", cancellationToken);
        }

        var entries = await journal.ReadAsync(incidentId, cancellationToken);
        var verification = journal is IVerifiableJournal chained ? await chained.VerifyAsync(incidentId, anchor, cancellationToken) : null;
        var (contentType, extension) = JournalExport.MediaOf(format);
        var response = request.CreateResponse();
        response.StatusCode = HttpStatusCode.OK;
        response.Headers.TryAddWithoutValidation("Content-Type", contentType);
        response.Headers.TryAddWithoutValidation("Cache-Control", "no-store");

        // The HTML export is a document, not an app: nothing may run or load in it even if opened inline.
        response.Headers.TryAddWithoutValidation("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
        response.Headers.TryAddWithoutValidation("X-Content-Type-Options", "nosniff");
        response.Headers.TryAddWithoutValidation("Content-Disposition", $"attachment; filename=\"main-courante-{incidentId.ToLowerInvariant()}.{extension}\"");
        if (verification is not null)
        {
            response.Headers.TryAddWithoutValidation("X-Journal-Chain", verification.Intact ? "intact" : $"broken-at-line-{verification.FirstBrokenLine}");
            if (verification.Head is { } head)
            {
                response.Headers.TryAddWithoutValidation("X-Journal-Chain-Head", head.ToString());
            }
        }

        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(JournalExport.Render(format, incidentId, entries, verification)), cancellationToken);
        return response;
    }
}
