using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ResponseFunctions.Approvals;
using ResponseFunctions.Containments;
using ResponseFunctions.InProcess;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Hosting;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.SimulatedTenant;
using ResponseFunctions.Tests.TestDoubles;
using Tenant = ResponseFunctions.SimulatedTenant.SimulatedTenant;

namespace ResponseFunctions.Tests.RealEngine;

/// <summary>
/// The host's own HTTP functions over the real Durable Task engine (in-process) and a simulated tenant: a containment
/// is started by POST /api/containments, followed by GET /api/containments/{id}, and decided on the approval page by
/// signed-in approvers, exactly as in Azure. Nobody answers unless a test does.
/// </summary>
internal sealed partial class EngineHost : IAsyncDisposable
{
    public const string Adele = "5c1a9e2b-0d4f-4b7e-8a3c-1e2f3a4b5c01";
    public const string AdeleUpn = "adele.vance@contoso.onmicrosoft.com";
    private const string BaseUrl = "https://rf.example.net/api/";

    private readonly ServiceProvider _pageServices;
    private readonly ContainmentState _state;

    private EngineHost(Tenant tenant, InMemoryJournal journal, InProcessEngine engine, ServiceProvider pageServices)
    {
        Tenant = tenant;
        Journal = journal;
        Engine = engine;
        _pageServices = pageServices;
        _state = new ContainmentState(journal);
    }

    public Tenant Tenant { get; }

    public InMemoryJournal Journal { get; }

    public InProcessEngine Engine { get; }

    /// <summary>The Entra ID that signs the approvers in (App Service Authentication on, forwarded tokens validated).</summary>
    public TestEntra Entra { get; } = new();

    public DurableTaskClient Client => Engine.Client;

    /// <summary>Every request the containment made to the tenant that changes something.</summary>
    public IReadOnlyList<string> Writes() =>
        [.. Tenant.Requests.Snapshot().Where(r => r.Method is "POST" or "PATCH" or "DELETE" or "PUT").Select(r => $"{r.Method} {r.PathAndQuery}")];

    public static async Task<EngineHost> StartAsync(Action<ContainmentPolicy>? configure = null, string scenario = "compromised-account")
    {
        var tenant = await Tenant.StartInProcessAsync(scenario);
        var journal = new InMemoryJournal();
        var policy = new ContainmentPolicy
        {
            ProtectedPrincipals = ["b9e1f000-0000-4000-8000-000000000b01", "b9e1f000-0000-4000-8000-000000000b02"],
            PlaybookIdentityObjectId = "3e5f7a90-2b4c-4d6e-8f01-a2b3c4d5e6f7",
            ApprovalTimeout = TimeSpan.FromSeconds(20),
        };
        configure?.Invoke(policy);
        var graph = PlaybookGraphClient.Create(new LoopbackCredential(), tenant.GraphBaseUrl, tenant.CreateHandler());
        var engine = await InProcessEngine.StartAsync(services => services
            .AddLogging()
            .AddSingleton(graph)
            .AddSingleton<IJournal>(journal)
            .AddSingleton(Options.Create(policy))
            .AddSingleton(Options.Create(new ContainmentEngineOptions { FirstRetryInterval = TimeSpan.FromMilliseconds(200) }))
            .AddContainmentPlaybook());
        var pageServices = new ServiceCollection()
            .AddSingleton(Options.Create(new ApprovalOptions
            {
                SigningKey = Convert.ToBase64String(Encoding.UTF8.GetBytes("real-engine-test-signing-key-of-32-bytes")),
                PageBaseUrl = new Uri("https://rf.example.net"),
            }))
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IJournal>(journal)
            .AddSingleton<IApprovalTokenLedger, InMemoryTokenLedger>()
            .AddApprovalPage()
            .BuildServiceProvider();
        return new EngineHost(tenant, journal, engine, pageServices);
    }

    /// <summary>POST /api/containments with an analyst's request for Adele (Case 1); returns the instance id from the response.</summary>
    public async Task<string> StartContainmentAsync(string incidentId = "INC-ENGINE-1")
    {
        var body = $$"""
            {"incidentId":"{{incidentId}}","cases":[1],"targets":{"users":["{{AdeleUpn}}"],"ips":["185.220.101.45/32"]},
             "mode":"contain","reason":"AiTM phishing confirmed by the SOC"}
            """;
        var response = await new StartContainment(Microsoft.Extensions.Options.Options.Create(new ResponseFunctions.Playbook.Policy.ContainmentPolicy())).Run(TestHttpRequest.Post(BaseUrl + "containments", body), Client, TestFunctionContext.Create());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response.Json().GetProperty("id").GetString()!;
    }

    /// <summary>GET /api/containments/{id}.</summary>
    public async Task<JsonElement> GetAsync(string instanceId)
    {
        var response = await new GetContainment(_state, _pageServices.GetRequiredService<ApprovalLinks>()).Run(TestHttpRequest.Get(BaseUrl + "containments/" + instanceId), instanceId, Client, TestFunctionContext.Create());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Json();
    }

    /// <summary>Polls GET /api/containments/{id} until it lists <paramref name="count"/> pending decisions; their request ids.</summary>
    public async Task<IReadOnlyList<string>> WaitForPendingAsync(string instanceId, int count)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var pending = (await GetAsync(instanceId)).GetProperty("pendingApprovals").EnumerateArray().Select(p => p.GetProperty("requestId").GetString()!).ToList();
            if (pending.Count >= count)
            {
                return pending;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{instanceId} never listed {count} pending decisions.");
    }

    /// <summary>
    /// An approver opens the approval page from a card link covering <paramref name="requestIds"/>, signed in as
    /// <paramref name="approver"/>, and submits <paramref name="verdict"/> for each; returns the page's answer.
    /// </summary>
    public async Task<string> DecideOnPageAsync(string instanceId, IReadOnlyList<string> requestIds, Approver approver, string verdict)
    {
        var page = new ApprovalPageFunction(_pageServices, Entra.Authentication(), _state);
        var token = _pageServices.GetRequiredService<ApprovalTokens>().Issue(instanceId, requestIds, DateTimeOffset.UtcNow.AddMinutes(30));
        var url = $"{BaseUrl}containments/{instanceId}/approve?token={Uri.EscapeDataString(token)}";
        var shown = await page.Run(new TestHttpRequest("GET", url, null, approver.Headers(Entra)), instanceId, Client, TestFunctionContext.Create());
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        var csrf = Csrf().Match(Body(shown)).Groups[1].Value;
        var form = $"token={Uri.EscapeDataString(token)}&csrf={Uri.EscapeDataString(csrf)}&comment=checked"
            + string.Concat(requestIds.Select(id => $"&decision%3A{Uri.EscapeDataString(id)}={verdict}"));
        var posted = await page.Run(new TestHttpRequest("POST", url, form, approver.Headers(Entra)), instanceId, Client, TestFunctionContext.Create());
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        return Body(posted);
    }

    public async Task<ContainmentReport> WaitForReportAsync(string instanceId) => await Engine.WaitForReportAsync(instanceId);

    /// <summary>The main courante of the incident, as (action, outcome) pairs in order.</summary>
    public async Task<IReadOnlyList<string>> JournalOutcomesAsync(string incidentId) =>
        [.. (await Journal.ReadAsync(incidentId, CancellationToken.None)).Select(e => $"{e.Action} {e.Outcome}")];

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await _pageServices.DisposeAsync();
        await Tenant.DisposeAsync();
    }

    private static string Body(Microsoft.Azure.Functions.Worker.Http.HttpResponseData response)
    {
        response.Body.Position = 0;
        return new StreamReader(response.Body).ReadToEnd();
    }

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex Csrf();
}

/// <summary>A signed-in approver as App Service Authentication presents them: object id, UPN, the Containment.Approver role, and the Entra ID token it forwards.</summary>
internal sealed record Approver(string ObjectId, string Upn)
{
    public static Approver Alice { get; } = new("a11ce000-0000-4000-8000-00000000a11c", "alice.soc@contoso.onmicrosoft.com");

    public static Approver Bob { get; } = new("b0b00000-0000-4000-8000-00000000b0b0", "bob.ciso@contoso.onmicrosoft.com");

    public Dictionary<string, string> Headers(TestEntra entra) => new()
    {
        [ResponseFunctions.Http.ApproverAuthentication.IdTokenHeader] = entra.IdToken(ObjectId, Upn, ["Containment.Approver"]),
        ["X-MS-CLIENT-PRINCIPAL"] = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new
        {
            auth_typ = "aad",
            claims = new[]
            {
                new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = ObjectId },
                new { typ = "preferred_username", val = Upn },
                new { typ = "roles", val = "Containment.Approver" },
            },
            name_typ = "preferred_username",
            role_typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
        })),
        ["X-MS-CLIENT-PRINCIPAL-ID"] = ObjectId,
        ["X-MS-CLIENT-PRINCIPAL-NAME"] = Upn,
    };
}
