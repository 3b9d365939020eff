using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.AzureResources;
using ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

namespace ResponseFunctions.Playbook.Hosting;

public static class ResourceServiceCollectionExtensions
{
    /// <summary>
    /// Case 3 (Azure resources). Without <see cref="AddAzureResourceClients"/> the host gets clients whose credential is
    /// unavailable: Case 3 steps fail at planning with that reason, the other cases run.
    /// </summary>
    public static IServiceCollection AddResourceContainment(this IServiceCollection services)
    {
        services.TryAddSingleton(_ => new AzureClients(new UnconfiguredCredential()));
        services.TryAddSingleton<ArmResources>();
        services.TryAddSingleton<LogsQueryClient>();
        services.TryAddSingleton<SecurityAlerts>();
        services.TryAddSingleton<KeyVaultSecretRotation>();
        services.TryAddSingleton<ResourceIdentities>();
        services.AddSingleton<IIsolationHandler, VirtualMachineIsolation>();
        services.AddSingleton<IIsolationHandler, WebAppIsolation>();
        services.AddSingleton<IIsolationHandler, StorageAccountIsolation>();
        services.AddSingleton<ICredentialHandler, StorageAccountCredentials>();
        services.AddSingleton<ICredentialHandler, WebAppCredentials>();
        services.AddSingleton<ICredentialHandler, VirtualMachineCredentials>();
        services.AddSingleton<IContainmentAction, IsolateResource>();
        services.AddSingleton<IContainmentAction, RevokeResourceCredentials>();
        return services;
    }

    /// <summary>
    /// Azure Resource Manager, Key Vault and Log Analytics as <paramref name="credential"/> (the managed identity in Azure);
    /// <paramref name="transport"/> reaches the simulated tenant in drills, <paramref name="time"/> drives the operation polls' waits.
    /// </summary>
    public static IServiceCollection AddAzureResourceClients(this IServiceCollection services, TokenCredential credential,
        HttpMessageHandler? transport = null, TimeProvider? time = null)
    {
        services.RemoveAll<AzureClients>();
        services.AddSingleton(new AzureClients(credential, transport, time));
        return services;
    }

    private sealed class UnconfiguredCredential : TokenCredential
    {
        private const string Reason = "Case 3 is not configured: the host did not call AddAzureResourceClients with a credential.";

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(Reason);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(Reason);
    }
}
