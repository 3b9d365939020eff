using Microsoft.Extensions.DependencyInjection;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Intake.Reporting;
using Tenant = ResponseFunctions.SimulatedTenant.SimulatedTenant;

namespace ResponseFunctions.Cli.Commands;

internal static class DrillIncidentReporter
{
    /// <summary>
    /// On the simulated tenant, comments on Sentinel incidents go to its ARM plane (the final state shows them under
    /// "sentinel"). Live drills write no comments: the incident's analysts decide what goes on it.
    /// </summary>
    public static IServiceCollection AddDrillIncidentReporter(this IServiceCollection services, Tenant? tenant) =>
        tenant is null
            ? services
            : services.AddSingleton<IIncidentReporter>(new SentinelIncidentReporter(
                new LoopbackCredential(), new IncidentReportingOptions { ArmBaseUrl = tenant.BaseAddress.ToString() }, tenant.CreateHandler()));
}
