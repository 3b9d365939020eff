using Microsoft.Extensions.DependencyInjection;
using ResponseFunctions.Playbook.Release.CompromisedAccount;

namespace ResponseFunctions.Playbook.Release;

public static class ReleaseServiceCollectionExtensions
{
    /// <summary>Registers the release: its activities and one release action per reversible sheet action built so far.</summary>
    public static IServiceCollection AddRelease(this IServiceCollection services)
    {
        services.AddSingleton<ReleaseRegistry>();
        services.AddSingleton<ReleaseActivities>();
        services.AddSingleton<IReleaseAction, ReenableAccount>();
        services.AddSingleton<IReleaseAction, UnblockIncidentLocations>();
        return services;
    }
}
