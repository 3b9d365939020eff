using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Approval.Page;
using ResponseFunctions.Playbook.Approval.Teams;

namespace ResponseFunctions.Playbook.Approval;

public static class ApprovalServiceCollectionExtensions
{
    /// <summary>
    /// The approval page and its links (bind <see cref="ApprovalOptions"/> first). The host supplies the
    /// <see cref="IApprovalTokenLedger"/>: blob-backed in Azure, a folder locally.
    /// </summary>
    public static IServiceCollection AddApprovalPage(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ApprovalTokens>();
        services.TryAddSingleton<CsrfTokens>();
        services.TryAddSingleton<ApprovalLinks>();
        services.TryAddSingleton(sp => new ApprovalPageClock(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApprovalOptions>>().Value.Zone()));
        services.TryAddSingleton<ApprovalPage>();
        return services;
    }

    /// <summary>Approval cards to Teams (bind <see cref="TeamsOptions"/> first), replacing any other notifier.</summary>
    public static IServiceCollection AddTeamsApprovalNotifier(this IServiceCollection services)
    {
        services.AddApprovalPage();
        services.TryAddSingleton<ITargetRoles, GraphTargetRoles>();
        services.Replace(ServiceDescriptor.Singleton<IApprovalNotifier>(sp => ActivatorUtilities.CreateInstance<TeamsApprovalNotifier>(
            sp, new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) })));
        return services;
    }
}
