using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Cases.CompromisedAccount;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Hosting;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.LocalEngine;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.Playbook.Requests;
using ResponseFunctions.SimulatedTenant;
using Tenant = ResponseFunctions.SimulatedTenant.SimulatedTenant;

namespace ResponseFunctions.Playbook.Tests.Support;

/// <summary>
/// The playbook wired as a host wires it, against a fresh simulated tenant reached over HTTP through the real
/// Microsoft Graph SDK: what the tests observe is the tenant's state, the requests it received and the journal.
/// </summary>
internal sealed class PlaybookHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private PlaybookHarness(Tenant tenant, ServiceProvider services, InMemoryJournal journal, RecordingPasswordGenerator passwords)
    {
        Tenant = tenant;
        _services = services;
        Journal = journal;
        Passwords = passwords;
    }

    public Tenant Tenant { get; }

    /// <summary>The Exchange client's retry waits: recorded, not waited.</summary>
    public static InstantTimeProvider ExchangeWaits { get; } = new();

    /// <summary>The waits between Azure long-running operation polls: recorded, not waited.</summary>
    public static InstantTimeProvider AzureWaits { get; } = new();

    public InMemoryJournal Journal { get; }

    public RecordingPasswordGenerator Passwords { get; }

    public ContainmentActivities Activities => _services.GetRequiredService<ContainmentActivities>();

    /// <summary>The playbook's services, for what a test drives directly (e.g. the baseline capture).</summary>
    public IServiceProvider Services => _services;

    /// <param name="wrapJournal">Puts a journal in front of the in-memory one (e.g. one whose writes fail), to test what survives.</param>
    public static async Task<PlaybookHarness> StartAsync(string scenario = "compromised-account", Action<ContainmentPolicy>? configure = null, Func<IJournal, IJournal>? wrapJournal = null)
    {
        var tenant = await Tenant.StartInProcessAsync(scenario);
        var policy = Contoso.Policy();
        configure?.Invoke(policy);
        var journal = new InMemoryJournal();
        var passwords = new RecordingPasswordGenerator();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(PlaybookGraphClient.Create(new LoopbackCredential(), tenant.GraphBaseUrl, tenant.CreateHandler()))
            .AddSingleton<IJournal>(wrapJournal?.Invoke(journal) ?? journal)
            .AddSingleton<IPasswordGenerator>(passwords)
            .AddSingleton(Options.Create(policy))
            .AddContainmentPlaybook()
            .AddExchangeOnline(new LoopbackCredential(), Exchange.ExchangeOnlineSimulation.Options(tenant), tenant.CreateHandler(), ExchangeWaits)
            .AddAzureResourceClients(new LoopbackCredential(), tenant.CreateAzureHandler(), AzureWaits)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        return new PlaybookHarness(tenant, services, journal, passwords);
    }

    public static ContainmentRequest Request(ContainmentMode mode = ContainmentMode.Contain, string[]? users = null, string[]? ips = null, string[]? countries = null,
        string incidentId = "INC-TEST-1", CaseId[]? cases = null) =>
        new(incidentId, cases ?? [CaseId.CompromisedAccount],
            new ContainmentTargets(users ?? [Contoso.AdeleUpn], [.. (ips ?? [Contoso.AttackerIp1, Contoso.AttackerIp2]).Select(ip => ip.Contains('/') ? ip : ip + "/32")], countries ?? []),
            mode, "test incident", "tester@contoso.onmicrosoft.com");

    /// <summary>A Case 3 request on one Azure resource.</summary>
    public static ContainmentRequest ResourceRequest(string resourceId, ContainmentMode mode = ContainmentMode.Contain) =>
        new("INC-TEST-3", [CaseId.CompromisedAzureResource], new ContainmentTargets([], [], []) { Resources = [resourceId] }, mode, "test incident", "tester@contoso.onmicrosoft.com");

    public Task<ContainmentReport> RunAsync(ContainmentRequest request, IApprovalChannel approvals) =>
        new LocalContainmentEngine(Activities, approvals, TimeProvider.System) { RetryDelay = TimeSpan.FromMilliseconds(10) }.RunAsync(request);

    public Task<ContainmentReport> RunAsync(ContainmentRequest request, ApprovalVerdict? everyStep) =>
        RunAsync(request, new ScriptedApprovalChannel(everyStep));

    /// <summary>The prepared step of <paramref name="action"/> for the first target, to drive one action directly.</summary>
    public async Task<StepContext> StepAsync(string action, ContainmentRequest? request = null)
    {
        var prepared = await Activities.PrepareAsync(new PrepareInput("test-instance", request ?? Request(), DateTimeOffset.UtcNow), CancellationToken.None);
        return prepared.Steps.First(s => s.Action.Value == action);
    }

    public IContainmentAction Action(string action) => _services.GetRequiredService<ActionRegistry>().Get(ActionId.Parse(action));

    public IReadOnlyList<RecordedRequest> Writes() =>
        [.. Tenant.Requests.Snapshot().Where(r => r.Method is "POST" or "PATCH" or "DELETE" or "PUT")];

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Tenant.DisposeAsync();
    }
}
