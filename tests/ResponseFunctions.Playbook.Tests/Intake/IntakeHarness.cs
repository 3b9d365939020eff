using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ResponseFunctions.InProcess;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Cases.CompromisedAccount;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Hosting;
using ResponseFunctions.Playbook.Intake;
using ResponseFunctions.Playbook.Intake.IdentityProtection;
using ResponseFunctions.Playbook.Intake.Reporting;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;
using Tenant = ResponseFunctions.SimulatedTenant.SimulatedTenant;

namespace ResponseFunctions.Playbook.Tests.Intake;

/// <summary>
/// The playbook and intake wired as the CLI wires them, against a simulated tenant over HTTP (Graph and its ARM
/// plane): containments run in the real Durable Task engine (in-process), every step approved; watermarks in a temporary folder.
/// </summary>
internal sealed class IntakeHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private readonly InProcessEngine _engine;

    private IntakeHarness(Tenant tenant, ServiceProvider services, InProcessEngine engine, InMemoryJournal journal, string folder)
    {
        Tenant = tenant;
        _services = services;
        _engine = engine;
        Journal = journal;
        WatermarkFolder = folder;
        Starter = new RunToCompletionStarter(engine);
    }

    public Tenant Tenant { get; }

    public InMemoryJournal Journal { get; }

    public string WatermarkFolder { get; }

    public RunToCompletionStarter Starter { get; }

    public IntakeDispatcher Dispatcher => _services.GetRequiredService<IntakeDispatcher>();

    public static async Task<IntakeHarness> StartAsync(string scenario, Action<IdentityProtectionOptions>? identityProtection = null, Action<Playbook.Policy.ContainmentPolicy>? policy = null)
    {
        var tenant = await Tenant.StartInProcessAsync(scenario);
        var journal = new InMemoryJournal();
        var folder = Path.Combine(Path.GetTempPath(), "rf-intake-tests", Guid.NewGuid().ToString("N"));
        var options = new IdentityProtectionOptions { Enabled = true, Since = new DateTimeOffset(2026, 11, 19, 0, 0, 0, TimeSpan.Zero), PageSize = 2 };
        identityProtection?.Invoke(options);
        void Register(IServiceCollection services) => services
            .AddLogging()
            .AddSingleton(PlaybookGraphClient.Create(new LoopbackCredential(), tenant.GraphBaseUrl, tenant.CreateHandler()))
            .AddSingleton<IJournal>(journal)
            .AddSingleton<IPasswordGenerator>(new RecordingPasswordGenerator())
            .AddSingleton(Options.Create(Configure(Contoso.Policy(), policy)))
            .AddSingleton(Options.Create(options))
            .AddSingleton<IIncidentReporter>(new SentinelIncidentReporter(
                new LoopbackCredential(), new IncidentReportingOptions { ArmBaseUrl = tenant.BaseAddress.ToString() }, tenant.CreateHandler()))
            .AddSingleton<IWatermarkStore>(new FileWatermarkStore(folder))
            .AddContainmentPlaybook()
            .AddSingleton(Options.Create(new ContainmentEngineOptions { FirstRetryInterval = TimeSpan.FromMilliseconds(100) }))
            .AddAzureResourceClients(new LoopbackCredential(), tenant.CreateAzureHandler(), PlaybookHarness.AzureWaits)
            .AddContainmentIntake();
        var services = new ServiceCollection();
        Register(services);

        // Containments run in the real Durable Task engine, in-process, every step approved.
        var engine = await InProcessEngine.StartAsync(Register, new ScriptedApprovalChannel(ApprovalVerdict.Approve));
        return new IntakeHarness(tenant, services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }), engine, journal, folder);
    }

    private static Playbook.Policy.ContainmentPolicy Configure(Playbook.Policy.ContainmentPolicy value, Action<Playbook.Policy.ContainmentPolicy>? configure)
    {
        configure?.Invoke(value);
        return value;
    }

    /// <summary>A poller as a restarted host would build it: same tenant, journal and watermark folder, nothing else kept.</summary>
    public RiskDetectionPoller NewPoller() => ActivatorUtilities.CreateInstance<RiskDetectionPoller>(_services);

    public IReadOnlyList<ResponseFunctions.SimulatedTenant.SimIncidentComment> Comments() =>
        Tenant.State.Read(m => m.Sentinel.Comments.ToList());

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _services.DisposeAsync();
        await Tenant.DisposeAsync();
        if (Directory.Exists(WatermarkFolder))
        {
            Directory.Delete(WatermarkFolder, recursive: true);
        }
    }
}

/// <summary>The repository's files (samples/...), found from the test's output folder.</summary>
internal static class RepoFile
{
    public static string Path(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}.");
    }

    public static string Read(string relative) => File.ReadAllText(Path(relative));
}
