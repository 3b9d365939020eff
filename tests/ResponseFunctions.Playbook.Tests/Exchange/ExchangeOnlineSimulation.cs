using ResponseFunctions.Playbook.Exchange;
using Tenant = ResponseFunctions.SimulatedTenant.SimulatedTenant;

namespace ResponseFunctions.Playbook.Tests.Exchange;

/// <summary>The Exchange client pointed at a simulated tenant, as a host points it at outlook.office365.com.</summary>
internal static class ExchangeOnlineSimulation
{
    public static ExchangeOnlineOptions Options(Tenant tenant) => new()
    {
        TenantId = tenant.State.Read(m => m.TenantId),
        BaseUrl = tenant.BaseAddress.ToString(),
    };
}
