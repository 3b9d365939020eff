using System.Net;

namespace ResponseFunctions.Playbook.Telemetry;

/// <summary>
/// Counts every throttled or unavailable answer on the wire (429, 503, 504): placed innermost in the Graph SDK's
/// pipeline, under its retry handler, it sees each attempt that handler will retry.
/// Source: "Microsoft Graph throttling guidance" (429 with Retry-After; the SDK's RetryHandler retries 429, 503, 504).
/// </summary>
public sealed class ThrottlingMeter(string plane) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (IsRetried(response.StatusCode))
        {
            ContainmentTelemetry.ThrottlingRetries.Add(1, new KeyValuePair<string, object?>(ContainmentTelemetry.PlaneTag, plane));
        }

        return response;
    }

    public static bool IsRetried(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
}
