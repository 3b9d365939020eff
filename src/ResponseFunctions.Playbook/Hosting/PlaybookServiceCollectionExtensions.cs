using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Cases.CompromisedAccount;
using ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.Playbook.Release;

namespace ResponseFunctions.Playbook.Hosting;

public static class PlaybookServiceCollectionExtensions
{
    /// <summary>
    /// Registers the playbook: the actions, the guard, the activities. The host supplies the
    /// <see cref="Microsoft.Graph.GraphServiceClient"/> and the <see cref="Journal.IJournal"/>, and binds
    /// <see cref="ContainmentPolicy"/>, which is validated when the host starts.
    /// </summary>
    public static IServiceCollection AddContainmentPlaybook(this IServiceCollection services)
    {
        services.AddOptions<ContainmentPolicy>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ContainmentPolicy>, ContainmentPolicyValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IApprovalNotifier, NoApprovalNotifier>();
        services.TryAddSingleton<Intake.Reporting.IIncidentReporter, Intake.Reporting.NoIncidentReporter>();
        services.TryAddSingleton<IPasswordGenerator, StrongPasswordGenerator>();
        services.TryAddSingleton(sp => new Throttling.ThrottleGate(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DirectoryReader>();
        services.TryAddSingleton<Approval.Teams.ITargetRoles, Approval.Teams.GraphTargetRoles>();
        services.AddSingleton<RoleHoldings>();
        services.AddSingleton<GlobalAdministratorList>();
        services.AddSingleton<TenantGuard>();
        services.AddSingleton<ChangeRunner>();
        services.AddSingleton<Cases.RoleGrants>();
        services.TryAddSingleton<ITenantGuardLedger, InProcessTenantGuardLedger>();
        services.AddSingleton<TargetResolver>();
        services.AddSingleton<ActionRegistry>();
        services.AddSingleton<IncidentScopes>();
        services.AddSingleton<ContainmentActivities>();

        services.AddSingleton<IContainmentAction, ResetPassword>();
        services.AddSingleton<IContainmentAction, RevokeSessions>();
        services.AddSingleton<IContainmentAction, DisableAccount>();
        services.AddSingleton<IContainmentAction, RequireMfaReregistration>();
        services.AddSingleton<IContainmentAction, HardenConditionalAccess>();
        services.AddSingleton<IContainmentAction, RevokeIllegitimateRoles>();
        services.AddSingleton<IContainmentAction, ConfirmUserCompromised>();

        services.AddSingleton<ApplicationDirectory>();
        services.AddSingleton<Baselines.BaselineCapture>();
        services.AddSingleton<IContainmentAction, DisableServicePrincipal>();
        services.AddSingleton<IContainmentAction, ReviewApplicationAccess>();
        services.AddSingleton<IContainmentAction, ResetApplicationCredentials>();
        services.AddSingleton<IContainmentAction, RemoveApplicationDirectoryRoles>();
        services.AddSingleton<IContainmentAction, RestoreAppScopedRoles>();
        services.AddSingleton<IContainmentAction, RestoreApplicationOwners>();
        services.AddSingleton<IContainmentAction, RequireAdminConsent>();
        services.AddMailContainment();
        services.AddResourceContainment();
        services.AddRelease();
        return services;
    }
}
