using System.Net;
using System.Text;
using System.Web;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using ResponseFunctions.Containments;
using ResponseFunctions.Http;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Approval.Page;

namespace ResponseFunctions.Approvals;

/// <summary>
/// GET/POST api/containments/{id}/approve?token=…: the page the Teams card opens. Anonymous at the Functions level
/// ONLY because App Service Authentication fronts the app and signs the user in with Microsoft Entra (a function key
/// cannot be put in a link shared in a channel); the function itself refuses any request without the principal
/// header Easy Auth sets, and everything else (role, signed single-use link, CSRF) is checked by <see cref="ApprovalPage"/>.
/// </summary>
public sealed class ApprovalPageFunction(IServiceProvider services, ContainmentState state)
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
        var principal = PrincipalOf(request);
        if (principal is null)
        {
            return await WriteAsync(request, HttpStatusCode.Unauthorized, "<!DOCTYPE html><title>Sign-in required</title><p>Sign-in required.</p>", cancellationToken);
        }

        if (services.GetService<ApprovalPage>() is not { } page)
        {
            return await WriteAsync(request, HttpStatusCode.ServiceUnavailable, "<!DOCTYPE html><title>Not configured</title><p>Approvals:SigningKey is not configured.</p>", cancellationToken);
        }

        var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellation: cancellationToken);
        IReadOnlyList<ApprovalRequest> pending = instance is not null && ContainmentState.IsActive(instance)
            ? (await state.ReadReportAsync(instance, cancellationToken))?.PendingApprovals ?? []
            : [];

        PageResult result;
        if (string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase))
        {
            var body = await HttpJson.ReadBodyAsync(request, cancellationToken);
            if (body is null)
            {
                return await WriteAsync(request, HttpStatusCode.RequestEntityTooLarge, "<!DOCTYPE html><title>Too large</title><p>Form too large.</p>", cancellationToken);
            }

            result = await page.SubmitAsync(id, ParseForm(body), principal, pending, cancellationToken);
            foreach (var decision in result.Decisions)
            {
                await client.RaiseEventAsync(id, ApprovalEvents.NameFor(decision.RequestId), decision, cancellationToken);
            }
        }
        else
        {
            result = page.Show(id, HttpUtility.ParseQueryString(request.Url.Query)["token"], principal, pending);
        }

        return await WriteAsync(request, result.Status, result.Html, cancellationToken);
    }

    internal static ClientPrincipal? PrincipalOf(HttpRequestData request) =>
        ClientPrincipal.FromHeaders(
            First(request, ClientPrincipal.Header), First(request, ClientPrincipal.IdHeader), First(request, ClientPrincipal.NameHeader));

    internal static IReadOnlyDictionary<string, string> ParseForm(string body)
    {
        var form = HttpUtility.ParseQueryString(body);
        return form.AllKeys.OfType<string>().ToDictionary(k => k, k => form[k] ?? string.Empty, StringComparer.Ordinal);
    }

    private static string? First(HttpRequestData request, string header) =>
        request.Headers.TryGetValues(header, out var values) ? values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) : null;

    private static async Task<HttpResponseData> WriteAsync(HttpRequestData request, HttpStatusCode status, string html, CancellationToken cancellationToken)
    {
        var response = request.CreateResponse();
        response.StatusCode = status;
        response.Headers.TryAddWithoutValidation("Content-Type", "text/html; charset=utf-8");
        response.Headers.TryAddWithoutValidation("Cache-Control", "no-store");

        // The link token is in the URL: never send it on as a Referer; no script, no framing, forms post back here only.
        response.Headers.TryAddWithoutValidation("Referrer-Policy", "no-referrer");
        response.Headers.TryAddWithoutValidation("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        response.Headers.TryAddWithoutValidation("X-Content-Type-Options", "nosniff");
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(html), cancellationToken);
        return response;
    }
}
