using Microsoft.Kiota.Abstractions;
using ResponseFunctions.SimulatedTenant.Tests.Infrastructure;

namespace ResponseFunctions.SimulatedTenant.Tests;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task Throttle429_RetryAfterOneSecond_SdkRetriesThenSucceeds()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        tenant.Faults.Add(new FaultRule("GET", $"/users/{Ids.Adele}", 429, RetryAfter: TimeSpan.FromSeconds(1)));
        var graph = GraphTestClient.Create(tenant);

        var user = await graph.Users[Ids.Adele].GetAsync();

        Assert.Equal(Ids.Adele, user?.Id);
        var attempts = tenant.Requests.Find("GET", $"/users/{Ids.Adele}");
        Assert.Equal([429, 200], attempts.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Throttle429OnPatch_SdkResendsTheSameBody()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        tenant.Faults.Add(new FaultRule("PATCH", $"/users/{Ids.Adele}", 429, RetryAfter: TimeSpan.FromSeconds(1)));
        var graph = GraphTestClient.Create(tenant);

        await graph.Users[Ids.Adele].PatchAsync(new Microsoft.Graph.Models.User { AccountEnabled = false });

        var attempts = tenant.Requests.Find("PATCH", $"/users/{Ids.Adele}");
        Assert.Equal([429, 204], attempts.Select(r => r.StatusCode));
        Assert.Equal(attempts[0].Body, attempts[1].Body);
        Assert.False(tenant.State.Read(m => m.FindUser(Ids.Adele)!.AccountEnabled));
    }

    [Fact]
    public async Task ServiceUnavailable503Once_SdkRetriesThenSucceeds()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        tenant.Faults.Add(new FaultRule(null, "revokeSignInSessions", 503, RetryAfter: TimeSpan.FromSeconds(1)));
        var graph = GraphTestClient.Create(tenant);

        var result = await graph.Users[Ids.Adele].RevokeSignInSessions.PostAsRevokeSignInSessionsPostResponseAsync();

        Assert.True(result?.Value);
        Assert.Equal([503, 200], tenant.Requests.Find("POST", "revokeSignInSessions").Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Throttle429_MoreTimesThanSdkRetries_SdkThrowsAggregateOfTooManyRequests()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        tenant.Faults.Add(new FaultRule("GET", "/groups/", 429, RetryAfter: TimeSpan.Zero, Times: 10));
        var graph = GraphTestClient.Create(tenant);

        // When retries run out, Kiota's RetryHandler throws an AggregateException of ApiExceptions (not an ODataError).
        var error = await Assert.ThrowsAsync<AggregateException>(() => graph.Groups[Ids.SecOpsGroup].GetAsync());

        Assert.All(error.InnerExceptions, e => Assert.Equal(429, Assert.IsAssignableFrom<ApiException>(e).ResponseStatusCode));
        Assert.Contains("TooManyRequests", error.InnerExceptions[0].Message, StringComparison.Ordinal);
        Assert.Equal(4, tenant.Requests.Count("GET", "/groups/"));
    }

    [Fact]
    public async Task LatencyOnlyRule_HoldsTheAnswerUntilTheDelayPasses_ThenAnswersNormally()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero));
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario, clock);
        tenant.Faults.Add(new FaultRule(null, "/roleManagement/", StatusCode: 0, Latency: TimeSpan.FromSeconds(30)));
        var graph = GraphTestClient.Create(tenant);

        var call = graph.RoleManagement.Directory.RoleDefinitions.GetAsync();
        await WaitUntilAsync(() => clock.PendingTimers > 0);

        Assert.False(call.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(30));
        var definitions = await call;
        Assert.Equal(8, definitions!.Value!.Count);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
