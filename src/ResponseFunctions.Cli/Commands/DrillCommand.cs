using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResponseFunctions.Cli.Terminal;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Hosting;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.LocalEngine;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Policy;
using Tenant = ResponseFunctions.SimulatedTenant.SimulatedTenant;

namespace ResponseFunctions.Cli.Commands;

/// <summary>
/// The main job: runs a containment with the local engine — the same orchestration and actions as the Functions
/// app — against the simulated tenant (in-process) or, with --tenant live, a real one.
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

        await using var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(graph)
            .AddSingleton<IJournal>(journal)
            .AddSingleton(Options.Create(settings.Policy))
            .AddContainmentPlaybook()
            .AddDrillExchangeOnline(tenant, settings.TenantId)
            .AddDrillIncidentReporter(tenant)
            .AddDrillAzureResources(tenant, settings.TenantId)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var approvals = ApprovalChannel(settings.Approve, input, output);
        var engine = new LocalContainmentEngine(services.GetRequiredService<ContainmentActivities>(), approvals, TimeProvider.System);

        await output.WriteLineAsync(
            $"ResponseFunctions {(tenant is null ? "LIVE on the tenant of your Azure credential" : $"drill on the simulated tenant, scenario '{settings.Scenario}'")}"
            + $" — incident {settings.Request.IncidentId}, mode {settings.Request.Mode.ToString().ToLowerInvariant()}, approvals: {settings.Approve.ToString().ToLowerInvariant()}");
        await output.WriteLineAsync($"Main courante: {Path.GetFullPath(settings.JournalPath)}");
        await output.WriteLineAsync();

        ContainmentReport report;
        try
        {
            report = await engine.RunAsync(settings.Request, cancellationToken: cancellationToken);
        }
        catch (ActivityFailedException ex)
        {
            await error.WriteLineAsync($"The containment could not start: {ex.Error.Message}");
            return CommandLine.Failed;
        }

        await output.WriteLineAsync();
        ReportPrinter.Print(report, output);
        if (tenant is not null && settings.StateOut is { } stateOut)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(stateOut))!);
            await File.WriteAllTextAsync(stateOut, tenant.ExportStateJson(), cancellationToken);
            await output.WriteLineAsync($"Simulated tenant's final state: {Path.GetFullPath(stateOut)}");
        }

        return CommandLine.Ok;
    }

    private static IApprovalChannel ApprovalChannel(ApprovalMode mode, TextReader input, TextWriter output) => mode switch
    {
        ApprovalMode.All => new FixedApprovalChannel(ApprovalVerdict.Approve, $"{Environment.UserName} (drill: --approve all)", TimeProvider.System),
        ApprovalMode.None => new FixedApprovalChannel(ApprovalVerdict.Reject, $"{Environment.UserName} (drill: --approve none)", TimeProvider.System),
        _ => new ConsoleApprovalChannel(input, output, Environment.UserName, TimeProvider.System),
    };
}
