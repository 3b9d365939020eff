using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Hosting;
using Tenant = ResponseFunctions.SimulatedTenant.SimulatedTenant;

namespace ResponseFunctions.Cli.Commands;

/// <summary>Where a drill's Exchange Online cmdlets go: the simulated tenant's admin API, or the live tenant's.</summary>
internal static class DrillExchange
{
    public static IServiceCollection AddDrillExchangeOnline(this IServiceCollection services, Tenant? tenant, string? liveTenantId)
    {
        if (tenant is not null)
        {
            return services.AddExchangeOnline(new LoopbackCredential(),
                new ExchangeOnlineOptions { TenantId = tenant.State.Read(m => m.TenantId), BaseUrl = tenant.BaseAddress.ToString() }, tenant.CreateHandler());
        }

        // Live: Exchange needs the tenant named in the URL; without --tenant-id, Cases 4 and 5 report "not configured".
        return string.IsNullOrWhiteSpace(liveTenantId)
            ? services
            : services.AddExchangeOnline(new DefaultAzureCredential(new DefaultAzureCredentialOptions { TenantId = liveTenantId }),
                new ExchangeOnlineOptions { TenantId = liveTenantId });
    }
}
