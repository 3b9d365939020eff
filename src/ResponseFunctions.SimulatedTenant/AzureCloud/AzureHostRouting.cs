namespace ResponseFunctions.SimulatedTenant.AzureCloud;

/// <summary>
/// The transport a drill gives Azure SDK clients: requests keep Azure's real addresses all the way through their pipelines
/// (authentication, Key Vault's challenge, retries) and are only redirected here, at the wire, to the simulated tenant:
/// management.azure.com → /, {vault}.vault.azure.net → /keyvault/{vault}, api.loganalytics.io → /loganalytics.
/// Any other host is refused, so a drill can never reach a real service.
/// </summary>
internal sealed class AzureHostRouting(Uri simulator, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no address.");
        var host = uri.Host.ToLowerInvariant();
        var prefix = host switch
        {
            "management.azure.com" => "",
            "api.loganalytics.io" => LogAnalyticsPlane.Prefix,
            _ when host.EndsWith(".vault.azure.net", StringComparison.Ordinal) => $"{KeyVaultPlane.Prefix}/{host[..^".vault.azure.net".Length]}",
            _ => throw new InvalidOperationException($"The simulated tenant does not serve {uri.Host}."),
        };
        request.RequestUri = new Uri(simulator, prefix + uri.PathAndQuery);
        return base.SendAsync(request, cancellationToken);
    }
}
