using Azure.Core;
using Microsoft.Graph;
using Microsoft.Kiota.Authentication.Azure;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using ResponseFunctions.Playbook.Throttling;

namespace ResponseFunctions.Playbook.Graph;

/// <summary>
/// Builds the <see cref="GraphServiceClient"/> every action uses: the SDK's own middleware (redirects, compression…)
/// with its retry handler replaced by <see cref="GraphThrottleHandler"/> (every caller of a throttled quota waits, on the
/// process-wide <see cref="ThrottleGate"/>), and an Azure.Identity credential, towards Microsoft Graph or the simulated tenant.
/// </summary>
public static class PlaybookGraphClient
{
    public const string GraphBaseUrl = "https://graph.microsoft.com/v1.0";
    public const string GraphScope = "https://graph.microsoft.com/.default";

    /// <summary>How long a request waits for others to travel with it in one JSON batch: small against a round trip (100 ms or more).</summary>
    public static readonly TimeSpan DefaultBatchWindow = TimeSpan.FromMilliseconds(10);

    /// <param name="credential">Managed identity in Azure, developer credentials locally (see <see cref="CredentialFor"/>).</param>
    /// <param name="baseUrl">Graph v1.0 base URL; the simulated tenant's when drilling.</param>
    /// <param name="finalHandler">The transport; null for the platform's default.</param>
    /// <param name="gate">The process's shared limiter (the host registers one); null for one of this client's own.</param>
    /// <param name="batchWindow">When set, requests made within this long of each other travel as one JSON batch (<see cref="GraphBatchHandler"/>).</param>
    /// <param name="batchSize">Requests that send a batch without waiting out the window.</param>
    public static GraphServiceClient Create(
        TokenCredential credential, string baseUrl = GraphBaseUrl, HttpMessageHandler? finalHandler = null, ThrottleGate? gate = null, TimeSpan? batchWindow = null,
        int batchSize = GraphBatchHandler.MaxRequests)
    {
        var host = new Uri(baseUrl).Host;
        var authentication = new AzureIdentityAuthenticationProvider(credential, allowedHosts: [host], observabilityOptions: null, isCaeEnabled: false, scopes: [GraphScope]);
        var handlers = GraphClientFactory.CreateDefaultHandlers();
        var at = handlers.IndexOf(handlers.Single(h => h is RetryHandler));
        handlers[at] = new GraphThrottleHandler(gate ?? new ThrottleGate());

        // Outside the limiter: a read answered from the cache never waits for a quota.
        handlers.Insert(at, new GraphReadCache());

        // Innermost, under the limiter's retries: counts each throttled attempt.
        handlers.Add(new Telemetry.ThrottlingMeter("graph"));

        // Under everything: only the trip to the service changes; every layer above still sees each request alone.
        if (batchWindow is { } window)
        {
            handlers.Add(new GraphBatchHandler(window, batchSize));
        }

        var httpClient = GraphClientFactory.Create(handlers, finalHandler: finalHandler);
        return new GraphServiceClient(httpClient, authentication, baseUrl);
    }

    /// <summary>
    /// The credential to use towards <paramref name="baseUrl"/>: <paramref name="azureCredential"/> for Microsoft Graph,
    /// a <see cref="LoopbackCredential"/> for a Graph on this machine (the simulated tenant).
    /// </summary>
    public static TokenCredential CredentialFor(string baseUrl, Func<TokenCredential> azureCredential) =>
        new Uri(baseUrl).IsLoopback ? new LoopbackCredential() : azureCredential();
}
