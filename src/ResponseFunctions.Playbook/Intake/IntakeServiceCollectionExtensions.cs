using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Intake.IdentityProtection;
using ResponseFunctions.Playbook.Intake.Triage;

namespace ResponseFunctions.Playbook.Intake;

public static class IntakeServiceCollectionExtensions
{
    /// <summary>
    /// Registers intake on top of <c>AddContainmentPlaybook</c>: the dispatcher, the triage table (options
    /// <see cref="TriageOptions"/>) and the Identity Protection poller (options <see cref="IdentityProtectionOptions"/>).
    /// The host supplies the <see cref="IWatermarkStore"/> and, to comment on Sentinel incidents, an
    /// <see cref="Reporting.IIncidentReporter"/>.
    /// </summary>
    public static IServiceCollection AddContainmentIntake(this IServiceCollection services)
    {
        services.AddOptions<TriageOptions>();
        services.AddOptions<IdentityProtectionOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<TriageOptions>>().Value.ToTable());
        services.TryAddSingleton<IntakeDispatcher>();
        services.TryAddSingleton<RiskDetectionPoller>();
        return services;
    }
}
