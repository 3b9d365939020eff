using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Hosting;
using Tenant = ResponseFunctions.SimulatedTenant.SimulatedTenant;

namespace ResponseFunctions.Cli.Commands;

/// <summary>Where a drill's Case 3 requests go: Azure's real endpoints over a transport that lands on the simulated tenant, or Azure itself live.</summary>
internal static class DrillAzureResources
{
    public static IServiceCollection AddDrillAzureResources(this IServiceCollection services, Tenant? tenant, string? liveTenantId) =>
        tenant is not null
            ? services.AddAzureResourceClients(new LoopbackCredential(), tenant.CreateAzureHandler())
            : services.AddAzureResourceClients(new DefaultAzureCredential(new DefaultAzureCredentialOptions { TenantId = liveTenantId }));
}
