using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Hosting;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Hosting;

/// <summary>The playbook in the Functions host: its policy from configuration, Graph and Exchange Online as the app's managed identity.</summary>
internal static class PlaybookHosting
{
    public static IServiceCollection AddPlaybook(this IServiceCollection services, IConfiguration configuration, HostCredential credential)
    {
        services.AddOptions<ContainmentPolicy>().Bind(configuration.GetSection(ContainmentPolicy.SectionName));
        services.AddOptions<ContainmentEngineOptions>().Bind(configuration.GetSection(ContainmentEngineOptions.SectionName));
        services.AddSingleton(TimeProvider.System);
        services.AddContainmentPlaybook();
        services.AddSingleton<ContainmentState>();

        // Microsoft Graph, or the simulated tenant when Graph:BaseUrl points at it.
        var graphBaseUrl = configuration["Graph:BaseUrl"] ?? PlaybookGraphClient.GraphBaseUrl;
        // One limiter for the whole process (AddContainmentPlaybook registers it): Graph and Exchange callers share its pauses.
        services.AddSingleton(sp => PlaybookGraphClient.Create(credential.For(graphBaseUrl), graphBaseUrl, gate: sp.GetRequiredService<Playbook.Throttling.ThrottleGate>(),
            batchWindow: PlaybookGraphClient.DefaultBatchWindow));

        // Exchange Online admin API (Cases 4 and 5) for Exchange:TenantId; without it, Case 4/5 steps report "not configured".
        ExchangeCredential.AddExchangeOnline(services, configuration, credential);

        // Case 3: Azure Resource Manager, Key Vault and Log Analytics as the app's managed identity.
        services.AddAzureResourceClients(credential.Azure);
        return services;
    }
}
