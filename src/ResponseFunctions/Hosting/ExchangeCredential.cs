using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Hosting;

namespace ResponseFunctions.Hosting;

/// <summary>
/// How the host reaches Exchange Online: the managed identity (Exchange.ManageAsApp + Exchange Administrator) towards
/// outlook.office365.com, or a placeholder token for a simulated tenant on this machine, as for Graph.
/// </summary>
internal static class ExchangeCredential
{
    public static void AddExchangeOnline(IServiceCollection services, IConfiguration configuration, HostCredential credential)
    {
        if (configuration["Exchange:TenantId"] is not { Length: > 0 } tenantId)
        {
            return;
        }

        var baseUrl = configuration["Exchange:BaseUrl"] ?? ExchangeOnlineOptions.DefaultBaseUrl;
        services.AddExchangeOnline(credential.For(baseUrl), new ExchangeOnlineOptions { TenantId = tenantId, BaseUrl = baseUrl });
    }

}
