using System.Net;
using Azure.Core;
using ResponseFunctions.Playbook.AzureResources;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Tests.Support;
using ResponseFunctions.Playbook.Throttling;

namespace ResponseFunctions.Playbook.Tests.Throttling;

/// <summary>Azure calls (ARM, Key Vault, Log Analytics) share the process's limiter: a 429 from ARM pauses every ARM caller.</summary>
public sealed class ThrottleGatePolicyTests
{
    [Fact]
    public async Task Arm_ThrottledBeyondTheSdkRetries_EveryArmCallerWaitsAndOtherServicesDoNot()
    {
        var clock = new InstantTimeProvider();
        var transport = new Throttling();
        var clients = new AzureClients(new LoopbackCredential(), transport, clock);
        var pipeline = clients.CreatePipeline(AzureClients.ArmScope);
        using var message = pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Get;
        message.Request.Uri.Reset(new Uri("https://management.azure.com/subscriptions/s1?api-version=2022-12-01"));

        await pipeline.SendAsync(message, CancellationToken.None);
        var waitsBefore = clock.Waits.Count;
        await clients.Gate.WaitTurnAsync(ThrottleGatePolicy.ScopeOf("api.loganalytics.io"), default);
        var otherServiceWaits = clock.Waits.Count - waitsBefore;
        await clients.Gate.WaitTurnAsync(ThrottleGatePolicy.ScopeOf("management.azure.com"), default);

        Assert.Equal(429, message.Response.Status);
        Assert.Equal(4, transport.Attempts); // the SDK's 3 retries, each through the gate
        Assert.Equal(0, otherServiceWaits);
        Assert.InRange(clock.Waits[^1], TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
    }

    private sealed class Throttling : HttpMessageHandler
    {
        public int Attempts { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Attempts++;
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent("{}") };
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
            return Task.FromResult(response);
        }
    }
}
