using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Approval.Page;

namespace ResponseFunctions.Playbook.Tests.Browser;

/// <summary>
/// The approval page on a loopback Kestrel server: the same <see cref="ApprovalPageEndpoint"/> the Functions host calls,
/// with this adapter in place of <c>ApprovalPageFunction</c>'s HTTP translation (route, query token, form body, the
/// Easy Auth and Accept-Language headers in; status, security headers and HTML out).
/// </summary>
internal sealed class ApprovalPageServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApprovalPageServer(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    public Uri Root { get; }

    public static async Task<ApprovalPageServer> StartAsync(ApprovalPageEndpoint endpoint)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapMethods("/api/" + ApprovalLinks.Route, ["GET", "POST"], async (HttpContext http, string id) =>
        {
            var isPost = HttpMethods.IsPost(http.Request.Method);
            var result = await endpoint.HandleAsync(
                new PageHttpRequest(
                    http.Request.Method,
                    id,
                    http.Request.Query["token"].FirstOrDefault(),
                    isPost ? await ReadBodyAsync(http.Request, http.RequestAborted) : null,
                    Header(http, ClientPrincipal.Header),
                    Header(http, ClientPrincipal.IdHeader),
                    Header(http, ClientPrincipal.NameHeader),
                    Header(http, "Accept-Language")),
                http.RequestAborted);
            http.Response.StatusCode = (int)result.Status;
            foreach (var (name, value) in ApprovalPageEndpoint.SecurityHeaders)
            {
                http.Response.Headers[name] = value;
            }

            await http.Response.WriteAsync(result.Html, Encoding.UTF8, http.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ApprovalPageServer(app, new Uri(address));
    }

    public Uri PageFor(string instanceId, string token) =>
        new(Root, $"/api/containments/{Uri.EscapeDataString(instanceId)}/approve?token={Uri.EscapeDataString(token)}");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string? Header(HttpContext http, string name) =>
        http.Request.Headers.TryGetValue(name, out var values) ? values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) : null;

    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > ApprovalPageEndpoint.MaxFormBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
