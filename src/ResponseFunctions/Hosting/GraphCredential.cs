using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using ResponseFunctions.Playbook.Graph;

namespace ResponseFunctions.Hosting;

/// <summary>How the host authenticates to Microsoft Graph.</summary>
internal static class GraphCredential
{
    /// <summary>
    /// <see cref="DefaultAzureCredential"/>: the app's managed identity in Azure (a user-assigned one when the
    /// <c>ManagedIdentityClientId</c> setting names it), developer credentials locally. When <c>Graph:BaseUrl</c>
    /// points at this machine (the simulated tenant), a placeholder token instead: a real Graph token is never sent
    /// to a local process, and drills need no Azure sign-in.
    /// </summary>
    public static TokenCredential For(IConfiguration configuration)
    {
        var managedIdentityClientId = configuration["ManagedIdentityClientId"];
        return PlaybookGraphClient.CredentialFor(
            configuration["Graph:BaseUrl"] ?? PlaybookGraphClient.GraphBaseUrl,
            () => string.IsNullOrWhiteSpace(managedIdentityClientId)
                ? new DefaultAzureCredential()
                : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = managedIdentityClientId }));
    }
}
