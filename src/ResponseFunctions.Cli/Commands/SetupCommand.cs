using Azure.Identity;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Setup;
using Tenant = ResponseFunctions.SimulatedTenant.SimulatedTenant;

namespace ResponseFunctions.Cli.Commands;

/// <summary>
/// setup permissions: grants the playbook identity the Graph application permissions, Exchange.ManageAsApp and
/// directory roles of the permission manifest, and creates or updates the approval app registration (azd's
/// postprovision hook runs it). Idempotent; --plan only prints what it would change.
/// </summary>
internal static class SetupCommand
{
    private static readonly IReadOnlySet<string> Options = new HashSet<string>
    {
        "--identity", "--scenario", "--tenant", "--tenant-id", "--app-url", "--client-id-out", "--state-out",
    };

    private static readonly IReadOnlySet<string> Flags = new HashSet<string> { "--plan" };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        Arguments arguments;
        string? scenario;
        Uri? appUrl = null;
        try
        {
            arguments = Arguments.Parse(args, Options, Flags);
            var live = arguments.LiveTenant();
            scenario = live ? null : arguments.Value("--scenario") ?? throw new UsageException($"--scenario is required on the simulated tenant. Scenarios: {string.Join(", ", Tenant.ScenarioNames)}.");
            if (scenario is not null && !Tenant.ScenarioNames.Contains(scenario))
            {
                throw new UsageException($"No scenario '{scenario}'. Scenarios: {string.Join(", ", Tenant.ScenarioNames)}.");
            }

            if (live && (arguments.Has("--scenario") || arguments.Has("--state-out")))
            {
                throw new UsageException("--scenario and --state-out are for the simulated tenant, not with --tenant live.");
            }

            if (!Guid.TryParse(arguments.Value("--identity"), out _))
            {
                throw new UsageException("--identity <object id of the playbook's managed identity> is required (azd: PLAYBOOK_IDENTITY_OBJECT_ID).");
            }

            if (arguments.Value("--app-url") is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out appUrl) || appUrl.Scheme != Uri.UriSchemeHttps))
            {
                throw new UsageException($"--app-url must be the Function App's https URL, not '{url}'.");
            }
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return CommandLine.Usage;
        }

        var apply = !arguments.Has("--plan");
        await using var tenant = scenario is null ? null : await Tenant.StartInProcessAsync(scenario, ct: cancellationToken);
        var graph = tenant is null
            ? PlaybookGraphClient.Create(new DefaultAzureCredential(new DefaultAzureCredentialOptions { TenantId = arguments.Value("--tenant-id") }))
            : PlaybookGraphClient.Create(new LoopbackCredential(), tenant.GraphBaseUrl, tenant.CreateHandler());

        PermissionSetupResult result;
        try
        {
            result = await new PermissionSetup(graph).RunAsync(arguments.Value("--identity")!, appUrl, apply, cancellationToken);
        }
        catch (Exception ex) when (GraphErrors.Classify(ex) is { } failure)
        {
            await error.WriteLineAsync($"Graph refused: {failure.Message} (HTTP {failure.HttpStatus}). The person running this needs Privileged Role Administrator and Application Administrator (or Global Administrator).");
            return CommandLine.Failed;
        }
        catch (InvalidOperationException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return CommandLine.Failed;
        }

        await PrintAsync(result, output);
        if (result.ApprovalAppClientId is { } clientId && arguments.Value("--client-id-out") is { } clientIdOut)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(clientIdOut))!);
            await File.WriteAllTextAsync(clientIdOut, clientId, cancellationToken);
        }

        if (tenant is not null && arguments.Value("--state-out") is { } stateOut)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(stateOut))!);
            await File.WriteAllTextAsync(stateOut, tenant.ExportStateJson(), cancellationToken);
        }

        return CommandLine.Ok;
    }

    /// <summary>One line per grant: "+" changed (or would be, with --plan), "=" already in place; then who uses it.</summary>
    private static async Task PrintAsync(PermissionSetupResult result, TextWriter output)
    {
        foreach (var grant in result.Grants)
        {
            var kind = grant.Kind switch
            {
                PermissionKind.GraphApplicationPermission => "Microsoft Graph",
                PermissionKind.ExchangeApplicationPermission => "Exchange Online",
                PermissionKind.DirectoryRole => "Entra role",
                _ => "Approval app",
            };
            await output.WriteLineAsync($"{(grant.Changed ? "+" : "=")} {kind,-16} {grant.Name,-45} used by {string.Join(", ", grant.UsedBy)}");
        }

        foreach (var extra in result.Unneeded)
        {
            await output.WriteLineAsync($"! held but no action uses it (not removed; remove it by hand): {extra}");
        }

        var changed = result.Changes.Count();
        var inPlace = result.Grants.Count - changed;
        await output.WriteLineAsync(result.Applied
            ? $"{changed} change(s) made, {inPlace} already in place. Approval app client id: {result.ApprovalAppClientId}."
            : $"Plan: {changed} change(s) to make, {inPlace} already in place. Nothing was changed.");
        if (result.Applied && changed > 0 && result.Grants.Any(g => g.Changed && g.Kind is PermissionKind.GraphApplicationPermission or PermissionKind.ExchangeApplicationPermission))
        {
            await output.WriteLineAsync($"Application permissions granted this way are admin-consented; tokens the identity already holds carry the new ones within about an hour ({PermissionManifest.GraphApplicationPermissions.Count} Graph permissions in all).");
        }
    }
}
