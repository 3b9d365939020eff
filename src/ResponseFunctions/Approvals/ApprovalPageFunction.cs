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
/// cannot be put in a link shared in a channel); the page refuses any request without the principal header Easy Auth
/// sets, and everything else (role, signed single-use link, CSRF) is checked by <see cref="ApprovalPage"/>. This class
/// only translates HTTP: <see cref="ApprovalPageEndpoint"/> is the page, <see cref="DurableApprovalSink"/> the orchestration.
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
        var isPost = string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase);
        var endpoint = new ApprovalPageEndpoint(services.GetService<ApprovalPage>(), new DurableApprovalSink(client, state));
        var result = await endpoint.HandleAsync(
            new PageHttpRequest(
                request.Method,
                id,
                HttpUtility.ParseQueryString(request.Url.Query)["token"],
                isPost ? await HttpJson.ReadBodyAsync(request, cancellationToken) : null,
                First(request, ClientPrincipal.Header),
                First(request, ClientPrincipal.IdHeader),
                First(request, ClientPrincipal.NameHeader),
                First(request, "Accept-Language")),
            cancellationToken);

        var response = request.CreateResponse();
        response.StatusCode = result.Status;
        foreach (var (name, value) in ApprovalPageEndpoint.SecurityHeaders)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        await response.Body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(result.Html), cancellationToken);
        return response;
    }

    internal static IReadOnlyDictionary<string, string> ParseForm(string body) => ApprovalPageEndpoint.ParseForm(body);

    private static string? First(HttpRequestData request, string header) =>
        request.Headers.TryGetValues(header, out var values) ? values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) : null;
}
