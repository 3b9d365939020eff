using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using ResponseFunctions.Playbook.Telemetry;

namespace ResponseFunctions.Hosting;

/// <summary>
/// OpenTelemetry for the worker: the containment spans and metrics the playbook emits (ActivitySource / Meter
/// "ResponseFunctions.Containment"), the Functions worker's own (invocation spans, trace context from the host), sent to
/// Application Insights with Entra authentication as the app's managed identity (the component has local auth off).
/// Sources: "Use OpenTelemetry with Azure Functions" (UseFunctionsWorkerDefaults, host.json telemetryMode),
/// "Enable Azure Monitor OpenTelemetry for .NET" (UseAzureMonitorExporter, AzureMonitorExporterOptions.Credential).
/// </summary>
public static class Telemetry
{
    internal static IServiceCollection AddContainmentTelemetry(this IServiceCollection services, IConfiguration configuration, HostCredential credential)
    {
        var builder = services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(ContainmentTelemetry.SourceName))
            .WithMetrics(metrics => metrics.AddMeter(ContainmentTelemetry.SourceName));
        builder.UseFunctionsWorkerDefaults();

        // Without a connection string (local runs, tests) nothing is exported; the sources still cost nothing unlistened.
        if (configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"] is { Length: > 0 } connectionString)
        {
            builder.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;
                options.Credential = credential.Azure;
            });
        }

        return services;
    }
}
