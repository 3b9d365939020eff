using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.MailDataLeak;
using ResponseFunctions.Playbook.Cases.SpamRelay;
using ResponseFunctions.Playbook.Exchange;

namespace ResponseFunctions.Playbook.Hosting;

public static class MailServiceCollectionExtensions
{
    /// <summary>
    /// Cases 4 and 5 (Exchange Online). Without <see cref="AddExchangeOnline"/> the host gets
    /// <see cref="UnconfiguredExchangeOnline"/>: those steps fail at planning with the reason, the other cases run.
    /// </summary>
    public static IServiceCollection AddMailContainment(this IServiceCollection services)
    {
        services.TryAddSingleton<IExchangeOnline, UnconfiguredExchangeOnline>();
        services.AddSingleton<IContainmentAction, RestoreTenantAllowBlockList>();
        services.AddSingleton<IContainmentAction, RestoreAntiSpoofing>();
        services.AddSingleton<IContainmentAction, StrengthenAntiSpam>();
        services.AddSingleton<IContainmentAction, RemoveForwardingRules>();
        services.AddSingleton<IContainmentAction, RemoveTransportRules>();
        services.AddSingleton<IContainmentAction, BlockSharedMailboxSignIn>();
        services.AddSingleton<IContainmentAction, DisableLegacyProtocols>();
        services.AddSingleton<IContainmentAction, BlockAttachmentExtensions>();
        services.AddSingleton<IContainmentAction, RemoveMailboxDelegations>();
        return services;
    }

    /// <summary>
    /// The Exchange Online admin API client for <paramref name="options"/>'s tenant, authenticated by
    /// <paramref name="credential"/> (Exchange.ManageAsApp); <paramref name="finalHandler"/> reaches the simulated tenant in drills.
    /// </summary>
    public static IServiceCollection AddExchangeOnline(this IServiceCollection services, TokenCredential credential, ExchangeOnlineOptions options,
        HttpMessageHandler? finalHandler = null, TimeProvider? time = null)
    {
        // REST-backed cmdlets may run up to 15 minutes on the service side: the HTTP timeout leaves them that long.
        services.RemoveAll<IExchangeOnline>();
        // The process's limiter is shared with Graph unless the caller brings its own clock (tests record the waits on it).
        services.AddSingleton<IExchangeOnline>(sp => new ExchangeOnlineClient(
            finalHandler is null ? new HttpClient { Timeout = TimeSpan.FromMinutes(16) } : new HttpClient(finalHandler) { Timeout = TimeSpan.FromMinutes(16) },
            credential, options, time, time is null ? sp.GetService<Throttling.ThrottleGate>() : null));
        return services;
    }
}
