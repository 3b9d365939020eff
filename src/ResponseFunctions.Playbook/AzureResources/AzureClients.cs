using Azure.Core;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Azure.Security.KeyVault.Secrets;
using ResponseFunctions.Playbook.Throttling;

namespace ResponseFunctions.Playbook.AzureResources;

/// <summary>
/// Where Case 3 talks to, and with what: one credential for Azure Resource Manager, Key Vault and Log Analytics. The
/// endpoints are always the real ones; a drill only swaps the transport (<see cref="Transport"/>) for one that reaches
/// the simulated tenant, so the pipelines (authentication, retries) are the ones that run in Azure.
/// </summary>
public sealed class AzureClients(TokenCredential credential, HttpMessageHandler? transport = null, TimeProvider? time = null)
{
    public static readonly Uri ArmEndpoint = new("https://management.azure.com/");

    public const string ArmScope = "https://management.azure.com/.default";

    // Source: learn.microsoft.com/rest/api/loganalytics/dataaccess/query/execute (POST https://api.loganalytics.io/v1/workspaces/{workspaceId}/query)
    public static readonly Uri LogAnalyticsEndpoint = new("https://api.loganalytics.io/");

    public const string LogAnalyticsScope = "https://api.loganalytics.io/.default";

    public TokenCredential Credential { get; } = credential;

    public HttpMessageHandler? Transport { get; } = transport;

    /// <summary>Drives the waits between long-running operation polls (a test clock skips them).</summary>
    public TimeProvider Time { get; } = time ?? TimeProvider.System;

    /// <summary>
    /// The limiter every Azure call of the process waits on, one scope per service host: a 429 or 503 from ARM, a vault
    /// or Log Analytics pauses every caller of that service (<see cref="ThrottleGatePolicy"/>).
    /// </summary>
    public ThrottleGate Gate => field ??= new ThrottleGate(Time);

    /// <summary>ArmClient with every resource type's api-version pinned (see <see cref="ArmApiVersions"/>).</summary>
    public ArmClient CreateArmClient()
    {
        var options = Configure(new ArmClientOptions());
        foreach (var (type, version) in ArmApiVersions.Pinned)
        {
            options.SetApiVersion(type, version);
        }

        return new ArmClient(Credential, defaultSubscriptionId: null, options);
    }

    /// <summary>A raw pipeline for what no served package covers: the same credential, retries honouring Retry-After.</summary>
    public HttpPipeline CreatePipeline(string scope) =>
        HttpPipelineBuilder.Build(Configure(new RawClientOptions()), new BearerTokenAuthenticationPolicy(Credential, scope));

    public SecretClient CreateSecretClient(Uri vaultUri) =>
        new(vaultUri, Credential, Configure(new SecretClientOptions(SecretClientOptions.ServiceVersion.V7_5)));

    private T Configure<T>(T options)
        where T : ClientOptions
    {
        options.Retry.MaxRetries = 3;
        options.Diagnostics.IsLoggingContentEnabled = false;
        options.AddPolicy(new ThrottleGatePolicy(Gate), HttpPipelinePosition.PerRetry);
        if (Transport is not null)
        {
            options.Transport = new HttpClientTransport(new HttpClient(Transport, disposeHandler: false));
        }

        return options;
    }

    private sealed class RawClientOptions : ClientOptions;
}
