using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ResponseFunctions.Hosting;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Intake;
using ResponseFunctions.Playbook.Intake.IdentityProtection;
using ResponseFunctions.Playbook.Intake.Reporting;
using ResponseFunctions.Playbook.Intake.Triage;

namespace ResponseFunctions.Intake;

/// <summary>The host's intake: triage table, Identity Protection polling with its watermark, comments on Sentinel incidents.</summary>
internal static class IntakeHosting
{
    public static IServiceCollection AddIntake(this IServiceCollection services, IConfiguration configuration, HostCredential credential)
    {
        services.AddOptions<TriageOptions>().Bind(configuration.GetSection(TriageOptions.SectionName));
        services.AddOptions<IdentityProtectionOptions>().Bind(configuration.GetSection(IdentityProtectionOptions.SectionName));
        services.AddContainmentIntake();

        // The watermark: a blob when Intake:IdentityProtection:WatermarkContainerUri names a container, else a file under HOME (kept by App Service).
        services.AddSingleton<IWatermarkStore>(_ => configuration["Intake:IdentityProtection:WatermarkContainerUri"] is { Length: > 0 } container
            ? WatermarkBlob(new Uri(container), credential.Azure)
            : new FileWatermarkStore(Path.Combine(Path.GetDirectoryName(JournalDefaults.Folder())!, "intake")));

        // Comments on Sentinel incidents through ARM (or the simulated tenant's ARM plane when it is on this machine).
        var reporting = configuration.GetSection(IncidentReportingOptions.SectionName).Get<IncidentReportingOptions>() ?? new IncidentReportingOptions();
        if (!string.IsNullOrWhiteSpace(reporting.ArmBaseUrl))
        {
            services.AddSingleton<IIncidentReporter>(_ => new SentinelIncidentReporter(
                credential.For(reporting.ArmBaseUrl), reporting));
        }

        return services;
    }

    /// <summary>https://account.blob.core.windows.net/intake → the account's service and the container's name.</summary>
    private static BlobWatermarkStore WatermarkBlob(Uri container, TokenCredential credential)
    {
        var name = container.AbsolutePath.Trim('/');
        var service = new Uri(container.GetLeftPart(UriPartial.Authority) + "/");
        return new BlobWatermarkStore(Playbook.Journal.Blob.BlobStore.WithCredential(service, credential), name);
    }
}
