using Microsoft.Extensions.DependencyInjection;
using Microsoft.DurableTask.Client;
using ResponseFunctions.InProcess;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Cases.CompromisedAccount;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Hosting;
using ResponseFunctions.Playbook.Journal;
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

    private readonly Action<IServiceCollection> _register;

    private PlaybookHarness(Tenant tenant, Action<IServiceCollection> register, InMemoryJournal journal, RecordingPasswordGenerator passwords)
    {
        Tenant = tenant;
        _register = register;
        var services = new ServiceCollection();
        register(services);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
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
    /// <param name="model">A tenant built in code (e.g. the password-spray scenario for N accounts) instead of <paramref name="scenario"/>.</param>
    /// <param name="engine">The engine's settings (waves, parallelism) beyond the tests' short retry interval.</param>
    public static async Task<PlaybookHarness> StartAsync(
        string scenario = "compromised-account", Action<ContainmentPolicy>? configure = null, Func<IJournal, IJournal>? wrapJournal = null,
        TenantModel? model = null, Action<ContainmentEngineOptions>? engine = null)
    {
        var tenant = model is null ? await Tenant.StartInProcessAsync(scenario) : await Tenant.StartInProcessAsync(model);
        var engineOptions = new ContainmentEngineOptions { FirstRetryInterval = TimeSpan.FromMilliseconds(100) };
        engine?.Invoke(engineOptions);
        var policy = Contoso.Policy();

        // Decisions that never come are waited for in real time by the engine's durable timer: keep that short.
        policy.ApprovalTimeout = TimeSpan.FromSeconds(3);
        configure?.Invoke(policy);
        var journal = new InMemoryJournal();
        var passwords = new RecordingPasswordGenerator();
        var graph = PlaybookGraphClient.Create(new LoopbackCredential(), tenant.GraphBaseUrl, tenant.CreateHandler());
        void Register(IServiceCollection services) => services
            .AddLogging()
            .AddSingleton(graph)
            .AddSingleton<IJournal>(wrapJournal?.Invoke(journal) ?? journal)
            .AddSingleton<IPasswordGenerator>(passwords)
            .AddSingleton(Options.Create(policy))
            .AddSingleton(Options.Create(engineOptions))
            .AddContainmentPlaybook()
            .AddExchangeOnline(new LoopbackCredential(), Exchange.ExchangeOnlineSimulation.Options(tenant), tenant.CreateHandler(), ExchangeWaits)
            .AddAzureResourceClients(new LoopbackCredential(), tenant.CreateAzureHandler(), AzureWaits);
        return new PlaybookHarness(tenant, Register, journal, passwords);
    }

    public static ContainmentRequest Request(ContainmentMode mode = ContainmentMode.Contain, string[]? users = null, string[]? ips = null, string[]? countries = null,
        string incidentId = "INC-TEST-1", CaseId[]? cases = null) =>
        new(incidentId, cases ?? [CaseId.CompromisedAccount],
            new ContainmentTargets(users ?? [Contoso.AdeleUpn], [.. (ips ?? [Contoso.AttackerIp1, Contoso.AttackerIp2]).Select(ip => ip.Contains('/') ? ip : ip + "/32")], countries ?? []),
            mode, "test incident", "tester@contoso.onmicrosoft.com");

    /// <summary>A Case 3 request on one Azure resource.</summary>
    public static ContainmentRequest ResourceRequest(string resourceId, ContainmentMode mode = ContainmentMode.Contain) =>
        new("INC-TEST-3", [CaseId.CompromisedAzureResource], new ContainmentTargets([], [], []) { Resources = [resourceId] }, mode, "test incident", "tester@contoso.onmicrosoft.com");

    /// <summary>The longest a test's containment may run: the longest one (sixteen waves) takes under two minutes.</summary>
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(8);

    /// <summary>Runs the containment in the real Durable Task engine (in-process) on this harness's tenant and journal; decisions come from <paramref name="approvals"/>.</summary>
    public async Task<ContainmentReport> RunAsync(ContainmentRequest request, IApprovalChannel approvals)
    {
        await using var engine = await InProcessEngine.StartAsync(_register, approvals);
        using var timeout = new CancellationTokenSource(RunTimeout);
        try
        {
            return await engine.RunAsync(request, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // A containment waiting forever is a failure to explain, not a test run that never ends.
            throw new TimeoutException($"{request.IncidentId} still running after {RunTimeout}:{Environment.NewLine}{await DescribeAsync(engine, request.IncidentId)}");
        }
    }

    /// <summary>Every instance of the incident (containment, groups, waves) that has not completed, with its status.</summary>
    private static async Task<string> DescribeAsync(InProcessEngine engine, string incidentId)
    {
        var prefix = InstanceIds.ForIncident(incidentId);
        var lines = new List<string>();
        var query = new OrchestrationQuery { InstanceIdPrefix = prefix, FetchInputsAndOutputs = false };
        await foreach (var instance in engine.Client.GetAllInstancesAsync(query))
        {
            if (instance.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
            {
                lines.Add($"{instance.InstanceId} {instance.RuntimeStatus} {instance.SerializedCustomStatus}");
            }
        }

        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>Starts the real engine on this harness's tenant and journal, for tests that drive an instance themselves.</summary>
    public Task<InProcessEngine> StartEngineAsync(IApprovalChannel? approvals = null) => InProcessEngine.StartAsync(_register, approvals);

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
