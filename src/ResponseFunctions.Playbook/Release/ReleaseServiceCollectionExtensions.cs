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
        services.AddSingleton<IReleaseAction, CompromisedAppIdentity.ReenableServicePrincipal>();
        services.AddSingleton<IReleaseAction, CompromisedAppIdentity.RestoreConsentSettings>();
        services.AddSingleton<IReleaseAction, MailDataLeak.RestoreSharedMailboxAccess>();
        services.AddSingleton<IReleaseAction, MailDataLeak.RestoreLegacyProtocols>();
        services.AddSingleton<IReleaseAction, MailDataLeak.RecreateInboxRule>();
        services.AddSingleton<IReleaseAction, MailDataLeak.RecreateTransportRule>();
        services.AddSingleton<IReleaseAction, MailDataLeak.UnblockAttachmentExtensions>();
        services.AddSingleton<IReleaseAction, MailDataLeak.RegrantMailboxDelegation>();
        services.AddSingleton<IReleaseAction, SpamRelay.RestoreAllowBlockEntries>();
        services.AddSingleton<IReleaseAction, SpamRelay.RestoreAntiPhishSettings>();
        services.AddSingleton<IReleaseAction, SpamRelay.RestoreAntiSpamSettings>();
        services.AddSingleton<IReleaseAction, CompromisedAzureResource.ReleaseFromIsolation>();
        services.AddSingleton<RoleRegrant>();
        services.AddSingleton<IReleaseAction, RegrantRoles>();
        services.AddSingleton<IReleaseAction, CompromisedAppIdentity.RegrantApplicationRoles>();
        services.AddSingleton<CompromisedAzureResource.IIsolationRelease, CompromisedAzureResource.VirtualMachineRelease>();
        services.AddSingleton<CompromisedAzureResource.IIsolationRelease, CompromisedAzureResource.WebAppRelease>();
        services.AddSingleton<CompromisedAzureResource.IIsolationRelease, CompromisedAzureResource.StorageAccountRelease>();
        return services;
    }
}
