using Azure.Core;
using Azure.Core.Pipeline;

namespace ResponseFunctions.Playbook.Throttling;

/// <summary>
/// The <see cref="ThrottleGate"/> in an Azure SDK pipeline (ARM, Key Vault, Log Analytics), once per attempt: every
/// attempt waits for its service's turn, and a throttled (429) or unavailable (503) answer pauses that service for every
/// caller of the process until its Retry-After. The SDK's own retry policy still retries the request (up to 3 times).
/// </summary>
/// <remarks>Source: "Understand how Azure Resource Manager throttles requests" (429 with Retry-After; wait that long
/// before the next request).</remarks>
public sealed class ThrottleGatePolicy(ThrottleGate gate) : HttpPipelinePolicy
{
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var scope = ScopeOf(message.Request.Uri.Host ?? "");
        var sentAt = await gate.WaitTurnAsync(scope, message.CancellationToken);
        await ProcessNextAsync(message, pipeline);
        Observe(message, scope, sentAt);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var scope = ScopeOf(message.Request.Uri.Host ?? "");
        var sentAt = gate.WaitTurnAsync(scope, message.CancellationToken).AsTask().GetAwaiter().GetResult();
        ProcessNext(message, pipeline);
        Observe(message, scope, sentAt);
    }

    /// <summary>One scope per service host (management.azure.com, a vault, api.loganalytics.io).</summary>
    public static ThrottleScope ScopeOf(string host) => new($"azure/{host.ToLowerInvariant()}");

    private void Observe(HttpMessage message, ThrottleScope scope, DateTimeOffset sentAt)
    {
        if (!message.HasResponse)
        {
            return;
        }

        if (message.Response.Status is 429 or 503)
        {
            gate.Throttled(scope, RetryAfter(message.Response));
            return;
        }

        gate.Served(scope, sentAt);
    }

    private TimeSpan? RetryAfter(Azure.Response response) =>
        response.Headers.TryGetValue("Retry-After", out var value)
            ? int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(seconds)
                : DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
                    ? at - gate.Time.GetUtcNow()
                    : null
            : null;
}
