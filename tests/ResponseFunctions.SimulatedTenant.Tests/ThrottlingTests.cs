using System.Net;
using System.Text;
using ResponseFunctions.SimulatedTenant.Tests.Infrastructure;

namespace ResponseFunctions.SimulatedTenant.Tests;

/// <summary>
/// Graph's identity and access quotas as the simulated tenant enforces them (Microsoft Graph service-specific
/// throttling limits, "Identity and access service limits"), and Exchange's admin API budget.
/// </summary>
public sealed class ThrottlingTests
{
    private const string TenantId = "8c3f2b1e-4d5a-4e8b-9c1d-2f3a4b5c6d7e";

    [Fact]
    public async Task Writes_ThrottlingNotEnabled_NoneAnswered429()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        using var http = GraphTestClient.CreateRaw(tenant);

        var statuses = await RevokeSessionsAsync(http, TenantThrottle.AppTenantWrites + 1);

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses);
        Assert.Null(tenant.Throttling.Options);
    }

    [Fact]
    public async Task Writes_BeyondAppTenantQuota_Answer429WithRetryAfterUntilTheQuotaRefills()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero));
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario, clock);
        tenant.Throttling.Enable(new ThrottlingOptions(TenantSize.Large));
        using var http = GraphTestClient.CreateRaw(tenant);

        var admitted = await RevokeSessionsAsync(http, TenantThrottle.AppTenantWrites);
        using var refused = await RevokeSessionAsync(http);

        Assert.All(admitted, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        // 3,000 writes per 150 s refill one write every 50 ms: Retry-After is that, rounded up to whole seconds.
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.StartsWith("Tenant_Application/Write/", Header(refused, "x-ms-throttle-scope"), StringComparison.Ordinal);
        Assert.EndsWith(TenantId, Header(refused, "x-ms-throttle-scope"), StringComparison.Ordinal);
        Assert.Equal("WriteLimitExceeded", Header(refused, "x-ms-throttle-information"));
        Assert.True(tenant.State.Read(m => m.FindUser(Ids.Adele)!.SignInSessionsValidFromDateTime) is not null);

        clock.Advance(TimeSpan.FromSeconds(1));
        using var afterWaiting = await RevokeSessionAsync(http);
        Assert.Equal(HttpStatusCode.OK, afterWaiting.StatusCode);
        Assert.Equal(1, tenant.Throttling.Throttled);
    }

    [Fact]
    public async Task UserListReads_SmallTenant_3500UnitsPer10SecondsThenResourceUnitLimit()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero));
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario, clock);
        tenant.Throttling.Enable(new ThrottlingOptions(TenantSize.Small));
        using var http = GraphTestClient.CreateRaw(tenant);

        // GET users costs 2 resource units: 1,750 fill the small tenant's 3,500.
        for (var i = 0; i < 1_750; i++)
        {
            using var ok = await http.GetAsync("v1.0/users");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("2", Header(ok, "x-ms-resource-unit"));
        }

        using var refused = await http.GetAsync("v1.0/users");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.StartsWith("Tenant_Application/ReadWrite/", Header(refused, "x-ms-throttle-scope"), StringComparison.Ordinal);
        Assert.Equal("ResourceUnitLimitExceeded", Header(refused, "x-ms-throttle-information"));
    }

    // Source: Microsoft Graph service-specific throttling limits, "Identity protection and conditional access service
    // limits": any request, 1 request per second per tenant for all apps; those 429s carry no Retry-After.
    [Fact]
    public async Task IdentityProtectionAndConditionalAccess_SecondRequestWithinASecond_Answered429WithoutRetryAfter()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero));
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario, clock);
        tenant.Throttling.Enable(new ThrottlingOptions(TenantSize.Large));
        using var http = GraphTestClient.CreateRaw(tenant);

        using var first = await http.GetAsync($"v1.0/identityProtection/riskyUsers/{Ids.Adele}");
        using var policies = await http.GetAsync("v1.0/identity/conditionalAccess/policies");
        using var users = await http.GetAsync($"v1.0/users/{Ids.Adele}");
        clock.Advance(TimeSpan.FromSeconds(1));
        using var afterASecond = await http.GetAsync("v1.0/identity/conditionalAccess/namedLocations");

        Assert.NotEqual(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, policies.StatusCode);
        Assert.Null(policies.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, users.StatusCode); // the identity and access service has its own quotas
        Assert.Equal(HttpStatusCode.OK, afterASecond.StatusCode);
        Assert.Equal(1, tenant.Throttling.Throttled);
    }

    [Fact]
    public void TenantWriteQuota_SevenApplications_The18001stWriteIsRefusedForTheTenant()
    {
        var throttle = new TenantThrottle(new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero)));
        throttle.Enable(new ThrottlingOptions(TenantSize.Large));
        var write = new GraphRequestCost(1, 1);

        for (var app = 0; app < 6; app++)
        {
            for (var i = 0; i < TenantThrottle.AppTenantWrites; i++)
            {
                Assert.Null(throttle.AdmitGraph($"app-{app}", write));
            }
        }

        var refusal = throttle.AdmitGraph("app-6", write);

        Assert.NotNull(refusal);
        Assert.StartsWith("Tenant/Write/", refusal.Scope, StringComparison.Ordinal);
        // 18,000 writes per 5 min refill one every 16.7 ms.
        Assert.Equal(TimeSpan.FromSeconds(1), refusal.RetryAfter);
    }

    [Fact]
    public async Task InvokeCommand_BeyondTheExchangeBudget_Answers429InExchangeShape()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero));
        await using var tenant = await SimulatedTenant.StartInProcessAsync("bec", clock);
        tenant.Throttling.Enable(new ThrottlingOptions(TenantSize.Large));
        using var http = GraphTestClient.CreateRaw(tenant);
        http.DefaultRequestHeaders.Add("X-AnchorMailbox", $"APP:SystemMailbox{{bb558c35-97f1-4cb9-8ff7-d53741dc928c}}@{TenantId}");

        for (var i = 0; i < TenantThrottle.ExchangeCommands; i++)
        {
            using var ok = await GetMailboxAsync(http);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, ok.StatusCode);
        }

        using var refused = await GetMailboxAsync(http);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("\"error\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "users", "", 2, 0)]
    [InlineData("GET", "users", "?$select=id,displayName", 1, 0)]
    [InlineData("GET", "users/x/memberOf", "", 2, 0)]
    [InlineData("GET", "users/x/memberOf", "?$top=5", 1, 0)]
    [InlineData("GET", "groups/g/transitiveMembers", "?$expand=manager", 6, 0)]
    [InlineData("POST", "directoryObjects/getByIds", "", 3, 0)]
    [InlineData("PATCH", "users/x", "", 1, 1)]
    [InlineData("POST", "users/x/revokeSignInSessions", "", 1, 1)]
    [InlineData("DELETE", "users/x/authentication/microsoftAuthenticatorMethods/m", "", 1, 1)]
    public void Cost_DocumentedTable_ResourceUnitsAndWrites(string method, string path, string query, int units, int writes)
    {
        var cost = GraphRequestCost.For(method, path.Split('/'), query);

        Assert.Equal(new GraphRequestCost(units, writes), cost);
    }

    [Theory]
    [InlineData("users/x/messages")]
    [InlineData("auditLogs/signIns")]
    [InlineData("identityProtection/riskyUsers")]
    public void Cost_OtherServices_NotCountedAgainstIdentityQuotas(string path) =>
        Assert.Null(GraphRequestCost.For("GET", path.Split('/'), null));

    [Theory]
    [InlineData(3_000, 0)]
    [InlineData(7_000, 200)]
    public void MinimumTimeForWrites_AppTenantQuotaBinds(int writes, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), TenantThrottle.MinimumTimeForWrites(writes));

    private static async Task<List<HttpStatusCode>> RevokeSessionsAsync(HttpClient http, int count)
    {
        var statuses = new List<HttpStatusCode>(count);
        for (var i = 0; i < count; i++)
        {
            using var response = await RevokeSessionAsync(http);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    private static Task<HttpResponseMessage> RevokeSessionAsync(HttpClient http) =>
        http.PostAsync($"v1.0/users/{Ids.Adele}/revokeSignInSessions", new StringContent("", Encoding.UTF8, "application/json"));

    private static Task<HttpResponseMessage> GetMailboxAsync(HttpClient http) =>
        http.PostAsync($"adminapi/beta/{TenantId}/InvokeCommand",
            new StringContent("""{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{"Identity":"adele.vance"}}}""", Encoding.UTF8, "application/json"));

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
}
