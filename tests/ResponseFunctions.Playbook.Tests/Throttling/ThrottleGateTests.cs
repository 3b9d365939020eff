using System.Net;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Tests.Support;
using ResponseFunctions.Playbook.Throttling;

namespace ResponseFunctions.Playbook.Tests.Throttling;

/// <summary>
/// The process-wide limiter: a throttled answer pauses every caller of that quota (Retry-After, else a shared back-off),
/// not only the one that received it. Timers fire at once (<see cref="InstantTimeProvider"/>) and record what was waited.
/// Source: "Microsoft Graph throttling guidance" and "Microsoft Graph service-specific throttling limits".
/// </summary>
public sealed class ThrottleGateTests
{
    private static readonly Uri UserUri = new("https://graph.microsoft.com/v1.0/users/5c1a9e2b-0d4f-4b7e-8a3c-1e2f3a4b5c01");
    private static readonly Uri RiskyUserUri = new("https://graph.microsoft.com/v1.0/identityProtection/riskyUsers/5c1a9e2b-0d4f-4b7e-8a3c-1e2f3a4b5c01");

    [Fact]
    public async Task WaitTurn_AnotherCallerWasThrottled_WaitsWhatTheServiceAskedAndOtherQuotasDoNot()
    {
        var clock = new InstantTimeProvider();
        var gate = new ThrottleGate(clock);

        gate.Throttled(GraphThrottleHandler.Identity, TimeSpan.FromSeconds(30));
        await gate.WaitTurnAsync(GraphThrottleHandler.Other, default);
        Assert.Empty(clock.Waits);
        await gate.WaitTurnAsync(GraphThrottleHandler.Identity, default);

        Assert.InRange(Assert.Single(clock.Waits), TimeSpan.FromSeconds(29), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Send_WriteQuotaThrottled_PausesWritesOnlyAndReturnsTheLast429AfterFourAttempts()
    {
        var clock = new InstantTimeProvider();
        var gate = new ThrottleGate(clock);
        var transport = new ScriptedTransport(_ => Throttled(TimeSpan.FromSeconds(5), "Tenant_Application/Write/app/tenant"));
        using var http = new HttpClient(new GraphThrottleHandler(gate) { InnerHandler = transport });

        using var response = await http.PatchAsync(UserUri, new StringContent("{\"accountEnabled\":false}"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(GraphThrottleHandler.MaxAttempts, transport.Bodies.Count);
        Assert.All(transport.Bodies, b => Assert.Equal("{\"accountEnabled\":false}", b)); // every attempt sends the same body
        Assert.True(gate.ReadyAt(GraphThrottleHandler.IdentityWrites) > clock.GetUtcNow());
        Assert.Equal(DateTimeOffset.MinValue, gate.ReadyAt(GraphThrottleHandler.Identity)); // reads go on
    }

    [Fact]
    public async Task Send_IdentityProtectionThrottledWithoutRetryAfter_BacksOffThenServedLiftsThePause()
    {
        var clock = new InstantTimeProvider();
        var gate = new ThrottleGate(clock);
        var answers = new Queue<HttpResponseMessage>([Throttled(null, null), Throttled(null, null), new HttpResponseMessage(HttpStatusCode.OK)]);
        var transport = new ScriptedTransport(_ => answers.Dequeue());
        using var http = new HttpClient(new GraphThrottleHandler(gate) { InnerHandler = transport });

        using var response = await http.GetAsync(RiskyUserUri);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // No Retry-After: a back-off that doubles (1 s, then 2 s), shared by the scope.
        Assert.Equal(2, clock.Waits.Count);
        Assert.InRange(clock.Waits[0], TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(1));
        Assert.InRange(clock.Waits[1], TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(2.2));
        Assert.Equal(DateTimeOffset.MinValue, gate.ReadyAt(GraphThrottleHandler.IdentityProtectionAndConditionalAccess));
    }

    [Theory]
    [InlineData("GET", "https://graph.microsoft.com/v1.0/users/x", "graph/identity")]
    [InlineData("PATCH", "https://graph.microsoft.com/v1.0/users/x", "graph/identity,graph/identity/write")]
    [InlineData("POST", "https://graph.microsoft.com/v1.0/identityProtection/riskyUsers/confirmCompromised", "graph/identity-protection-ca")]
    [InlineData("GET", "https://graph.microsoft.com/v1.0/identity/conditionalAccess/namedLocations", "graph/identity-protection-ca")]
    [InlineData("GET", "https://graph.microsoft.com/v1.0/users/x/mailFolders/inbox/messageRules", "graph")]
    [InlineData("GET", "https://graph.microsoft.com/v1.0/auditLogs/signIns", "graph")]
    public void ScopesOf_Request_TheQuotasItCountsAgainst(string method, string url, string expected)
    {
        var scopes = GraphThrottleHandler.ScopesOf(new HttpMethod(method), new Uri(url));

        Assert.Equal(expected, string.Join(',', scopes.Select(s => s.Name)));
    }

    private static HttpResponseMessage Throttled(TimeSpan? retryAfter, string? scope)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        if (retryAfter is { } after)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(after);
        }

        if (scope is not null)
        {
            response.Headers.TryAddWithoutValidation("x-ms-throttle-scope", scope);
        }

        return response;
    }

    private sealed class ScriptedTransport(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<string?> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Add(request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken));
            return answer(request);
        }
    }
}
