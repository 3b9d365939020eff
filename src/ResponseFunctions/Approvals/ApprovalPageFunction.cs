using System.Net;
using System.Web;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Http;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Approval.Page;

namespace ResponseFunctions.Approvals;

/// <summary>
/// GET/POST api/containments/{id}/approve?token=…: the page the Teams card opens. Anonymous at the Functions level
/// ONLY because App Service Authentication fronts the app and signs the user in with Microsoft Entra (a function key
/// cannot be put in a link shared in a channel). Who the caller is comes from <see cref="ApproverAuthentication"/>
/// only (platform authentication verifiably on, forwarded Entra token validated), never from headers alone; everything
/// else (role, signed single-use link, CSRF) is checked by <see cref="ApprovalPage"/>. This class only translates
/// HTTP: <see cref="ApprovalPageEndpoint"/> is the page, <see cref="DurableApprovalSink"/> the orchestration.
/// </summary>
public sealed class ApprovalPageFunction(IServiceProvider services, ApproverAuthentication authentication, ContainmentState state)
{
    public const string Name = "ApprovalPage";

    [Function(Name)]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = ApprovalLinks.Route)] HttpRequestData request,
        string id,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        var cancellationToken = context.CancellationToken;
        var check = await authentication.AuthenticateAsync(request, cancellationToken);
        if (check.Principal is not { } principal)
        {
            await JournalRefusalAsync(request, id, check, client, cancellationToken);
            var message = check.Status == HttpStatusCode.ServiceUnavailable
                ? "Approvals are unavailable: the app's sign-in is not verifiably on. Nothing was recorded."
                : "Sign-in required. Nothing was recorded.";
            return await WriteAsync(request, new PageResult(check.Status,
                $"<!DOCTYPE html><html lang=\"en\"><title>Sign-in required</title><p>{WebUtility.HtmlEncode(message)}</p></html>", []), cancellationToken);
        }

        var isPost = string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase);
        var endpoint = new ApprovalPageEndpoint(services.GetService<ApprovalPage>(), new DurableApprovalSink(client, state));
        var result = await endpoint.HandleAsync(
            new PageHttpRequest(
                request.Method,
                id,
                HttpUtility.ParseQueryString(request.Url.Query)["token"],
                isPost ? await HttpJson.ReadBodyAsync(request, cancellationToken) : null,
                null,
                null,
                null,
                First(request, "Accept-Language"))
            {
                TrustedPrincipal = principal,
            },
            cancellationToken);
        return await WriteAsync(request, result, cancellationToken);
    }

    internal static IReadOnlyDictionary<string, string>? ParseForm(string body) => ApprovalPageEndpoint.ParseForm(body);

    /// <summary>
    /// A refused sign-in that carries a genuine link (signed with the app's key) is journaled on its incident: someone
    /// holds a real approval link without a trusted identity. Requests without a genuine link are only refused, so
    /// an anonymous caller cannot fill the journal. One entry per link and status.
    /// </summary>
    private async Task JournalRefusalAsync(HttpRequestData request, string id, AuthenticationCheck check, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var token = HttpUtility.ParseQueryString(request.Url.Query)["token"];
        if (services.GetService<ApprovalTokens>() is not { } tokens || services.GetService<Playbook.Journal.IJournal>() is not { } journal
            || tokens.Validate(token, id) is not { Token: { } link })
        {
            return;
        }

        var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellation: cancellationToken);
        if (instance is null || ContainmentState.IncidentIdOf(instance) is not { } incidentId)
        {
            return;
        }

        var now = services.GetService<TimeProvider>()?.GetUtcNow() ?? DateTimeOffset.UtcNow;
        await journal.AppendAsync(
            new Playbook.Journal.JournalEntry($"{id}/00/page-refused-{link.Id}-{(int)check.Status}", now, incidentId, "unauthenticated caller",
                "approval.refused", $"link {link.Id}", $"approval:refused-{(int)check.Status}",
                $"An approval link was opened without a trusted sign-in; nothing was decided. {check.Reason}"),
            cancellationToken);
    }

    private static async Task<HttpResponseData> WriteAsync(HttpRequestData request, PageResult result, CancellationToken cancellationToken)
    {
        var response = request.CreateResponse();
        response.StatusCode = result.Status;
        foreach (var (name, value) in ApprovalPageEndpoint.SecurityHeaders)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        await response.Body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(result.Html), cancellationToken);
        return response;
    }

    private static string? First(HttpRequestData request, string header) =>
        request.Headers.TryGetValues(header, out var values) ? values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) : null;
}
