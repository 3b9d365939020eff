using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using ResponseFunctions.Playbook.Graph;

namespace ResponseFunctions.Hosting;

/// <summary>
/// The app's one Azure credential, built once and shared by every client (Graph, Exchange, ARM, Blob storage):
/// <see cref="DefaultAzureCredential"/>, i.e. the app's managed identity in Azure (the user-assigned one named by
/// <c>ManagedIdentityClientId</c>), developer credentials locally. Built on first use, so a host whose every endpoint
/// is the simulated tenant never asks Azure for anything.
/// </summary>
internal sealed class HostCredential(IConfiguration configuration)
{
    private readonly Lazy<TokenCredential> _azure = new(() => configuration["ManagedIdentityClientId"] is { Length: > 0 } clientId
        ? new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId })
        : new DefaultAzureCredential());

    public TokenCredential Azure => _azure.Value;

    /// <summary>
    /// The credential for an endpoint: the Azure one, or a placeholder token when <paramref name="baseUrl"/> is on
    /// this machine (the simulated tenant), so that a real token is never sent to a local process.
    /// </summary>
    public TokenCredential For(string baseUrl) => PlaybookGraphClient.CredentialFor(baseUrl, () => _azure.Value);
}
