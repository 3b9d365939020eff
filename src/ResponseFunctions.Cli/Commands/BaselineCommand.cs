using Azure.Identity;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Baselines;
using ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;
using Tenant = ResponseFunctions.SimulatedTenant.SimulatedTenant;

namespace ResponseFunctions.Cli.Commands;

/// <summary>
/// baseline capture: writes the tenant's current role holders and application baselines as a policy JSON fragment
/// (RoleBaseline, ApplicationBaselines) to merge into the policy. Read-only; meant for peacetime.
/// </summary>
internal static class BaselineCommand
{
    private static readonly IReadOnlySet<string> Options = new HashSet<string> { "--scenario", "--tenant", "--tenant-id", "--out", "--app" };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string? scenario;
        bool live;
        Arguments arguments;
        try
        {
            arguments = Arguments.Parse(args, Options, new HashSet<string>());
            live = arguments.LiveTenant();
            scenario = live ? null : arguments.Value("--scenario") ?? throw new UsageException($"--scenario is required. Scenarios: {string.Join(", ", Tenant.ScenarioNames)}.");
            if (scenario is not null && !Tenant.ScenarioNames.Contains(scenario))
            {
                throw new UsageException($"No scenario '{scenario}'. Scenarios: {string.Join(", ", Tenant.ScenarioNames)}.");
            }

            if (live && arguments.Has("--scenario"))
            {
                throw new UsageException("--scenario is for the simulated tenant, not with --tenant live.");
            }
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return CommandLine.Usage;
        }

        var appIds = (arguments.Value("--app") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (appIds.FirstOrDefault(a => !Guid.TryParse(a, out _)) is { } bad)
        {
            await error.WriteLineAsync($"--app takes application (client) ids separated by commas; '{bad}' is not one.");
            return CommandLine.Usage;
        }

        await using var tenant = scenario is null ? null : await Tenant.StartInProcessAsync(scenario, ct: cancellationToken);
        var graph = tenant is null
            ? PlaybookGraphClient.Create(new DefaultAzureCredential(new DefaultAzureCredentialOptions { TenantId = arguments.Value("--tenant-id") }))
            : PlaybookGraphClient.Create(new LoopbackCredential(), tenant.GraphBaseUrl, tenant.CreateHandler());
        var directory = new DirectoryReader(graph);
        var capture = new BaselineCapture(graph, directory, new ApplicationDirectory(graph, directory, Microsoft.Extensions.Options.Options.Create(new ContainmentPolicy())));

        CapturedBaseline baseline;
        try
        {
            baseline = await capture.CaptureAsync(appIds, cancellationToken);
        }
        catch (Exception ex) when (GraphErrors.Classify(ex) is { } failure)
        {
            await error.WriteLineAsync($"The baseline could not be read: {failure.Message} (HTTP {failure.HttpStatus}).");
            return CommandLine.Failed;
        }

        var json = baseline.ToJson();
        if (arguments.Value("--out") is { } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, json + Environment.NewLine, cancellationToken);
            await output.WriteLineAsync(
                $"Baseline of {baseline.RoleBaseline.Count} role(s) and {baseline.ApplicationBaselines.Count} application(s) written to {Path.GetFullPath(path)}. "
                + "Review it, then merge RoleBaseline and ApplicationBaselines into the policy.");
        }
        else
        {
            await output.WriteLineAsync(json);
        }

        return CommandLine.Ok;
    }
}
