using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResponseFunctions.Cli.Terminal;
using ResponseFunctions.InProcess;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Hosting;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.Playbook.Release;
using Tenant = ResponseFunctions.SimulatedTenant.SimulatedTenant;

namespace ResponseFunctions.Cli.Commands;

/// <summary>
/// The main job: runs a containment in the real Durable Task engine, in this process — the same orchestrator and
/// activities as the Functions app, with its replay, durable timers and external events — against the simulated
/// tenant (in-process) or, with --tenant live, a real one.
/// </summary>
internal static class DrillCommand
{
    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        DrillSettings settings;
        try
        {
            settings = DrillSettings.From(Arguments.Parse(args, DrillSettings.Options, DrillSettings.Flags));
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return CommandLine.Usage;
        }

        await using var tenant = settings.Live ? null : await Tenant.StartInProcessAsync(settings.Scenario!, ct: cancellationToken);
        var graph = tenant is null
            ? PlaybookGraphClient.Create(new DefaultAzureCredential(new DefaultAzureCredentialOptions { TenantId = settings.TenantId }))
            : PlaybookGraphClient.Create(new LoopbackCredential(), tenant.GraphBaseUrl, tenant.CreateHandler());
        var journal = new EchoJournal(new JsonLinesJournal(settings.JournalPath), output);

        await using var engine = await InProcessEngine.StartAsync(
            PlaybookServices(graph, journal, settings.Policy, tenant, settings.TenantId), ApprovalChannel(settings.Approve, input, output), cancellationToken: cancellationToken);

        await output.WriteLineAsync(
            $"ResponseFunctions {(tenant is null ? "LIVE on the tenant of your Azure credential" : $"drill on the simulated tenant, scenario '{settings.Scenario}'")}"
            + $" — incident {settings.Request.IncidentId}, mode {settings.Request.Mode.ToString().ToLowerInvariant()}, approvals: {settings.Approve.ToString().ToLowerInvariant()}");
        await output.WriteLineAsync($"Main courante: {Path.GetFullPath(settings.JournalPath)}");
        await output.WriteLineAsync();

        ContainmentReport report;
        try
        {
            report = await engine.RunAsync(settings.Request, cancellationToken);
        }
        catch (ContainmentFailedException ex)
        {
            await error.WriteLineAsync($"The containment did not complete: {ex.Failure?.ErrorMessage ?? ex.Status.ToString()}");
            return CommandLine.Failed;
        }

        await output.WriteLineAsync();
        ReportPrinter.Print(report, output);
        if (settings.Release is { } selection)
        {
            var release = new ReleaseRequest(settings.Request.IncidentId, report.InstanceId, selection,
                $"Drill: release of {selection} after the containment.", $"drill ({Environment.UserName})");
            await output.WriteLineAsync();
            await output.WriteLineAsync($"Release of {selection} from {report.InstanceId}");
            ReleaseReport released;
            try
            {
                released = await engine.RunReleaseAsync(release, cancellationToken);
            }
            catch (ContainmentFailedException ex)
            {
                await error.WriteLineAsync($"The release did not complete: {ex.Failure?.ErrorMessage ?? ex.Status.ToString()}");
                return CommandLine.Failed;
            }

            await output.WriteLineAsync();
            ReportPrinter.PrintRelease(released, output);
        }

        if (tenant is not null && settings.StateOut is { } stateOut)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(stateOut))!);
            await File.WriteAllTextAsync(stateOut, tenant.ExportStateJson(), cancellationToken);
            await output.WriteLineAsync($"Simulated tenant's final state: {Path.GetFullPath(stateOut)}");
        }

        return CommandLine.Ok;
    }

    /// <summary>The playbook's services on the simulated tenant (or, without one, the live tenant of <paramref name="tenantId"/>): drill and release alike.</summary>
    internal static Action<IServiceCollection> PlaybookServices(Microsoft.Graph.GraphServiceClient graph, IJournal journal, ContainmentPolicy policy, Tenant? tenant, string? tenantId) =>
        services => services
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(graph)
            .AddSingleton(journal)
            .AddSingleton(Options.Create(policy))
            .AddContainmentPlaybook()
            .AddDrillExchangeOnline(tenant, tenantId)
            .AddDrillIncidentReporter(tenant)
            .AddDrillAzureResources(tenant, tenantId);

    internal static IApprovalChannel ApprovalChannel(ApprovalMode mode, TextReader input, TextWriter output) => mode switch
    {
        ApprovalMode.All => new FixedApprovalChannel(ApprovalVerdict.Approve, $"{Environment.UserName} (drill: --approve all)", TimeProvider.System),
        ApprovalMode.None => new FixedApprovalChannel(ApprovalVerdict.Reject, $"{Environment.UserName} (drill: --approve none)", TimeProvider.System),
        _ => new ConsoleApprovalChannel(input, output, Environment.UserName, TimeProvider.System),
    };
}
