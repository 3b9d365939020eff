using System.Net.Http.Headers;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;

namespace ResponseFunctions.SimulatedTenant.Tests.Infrastructure;

/// <summary>
/// Builds the real SDK client against a simulator: GraphClientFactory keeps the SDK's default middleware (retry,
/// redirect, telemetry...) and only swaps the final handler, so retries and headers behave as in production.
/// </summary>
internal static class GraphTestClient
{
    public const string Token = "sim-token";

    public static GraphServiceClient Create(SimulatedTenant tenant)
    {
        var http = GraphClientFactory.Create(finalHandler: tenant.CreateHandler());
        return new GraphServiceClient(http, new BaseBearerTokenAuthenticationProvider(new StaticTokenProvider()), tenant.GraphBaseUrl);
    }

    /// <summary>A plain HttpClient for requests the SDK cannot express (unrouted paths, missing token).</summary>
    public static HttpClient CreateRaw(SimulatedTenant tenant, bool withToken = true)
    {
        var http = new HttpClient(tenant.CreateHandler()) { BaseAddress = tenant.BaseAddress };
        if (withToken)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }

        return http;
    }

    private sealed class StaticTokenProvider : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(Token);
    }
}
