using System.Net;
using System.Text;
using System.Text.Json;
using ResponseFunctions.SimulatedTenant.Tests.Infrastructure;

namespace ResponseFunctions.SimulatedTenant.Tests;

public sealed class PipelineTests
{
    [Fact]
    public async Task MissingBearer_AnyGraphPath_Returns401InvalidAuthenticationToken()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        using var http = GraphTestClient.CreateRaw(tenant, withToken: false);

        using var response = await http.GetAsync($"v1.0/users/{Ids.Adele}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("InvalidAuthenticationToken", json.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task UnknownRoute_Returns400UnsupportedWithGraphErrorBody()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        using var http = GraphTestClient.CreateRaw(tenant);
        http.DefaultRequestHeaders.Add("client-request-id", "c1d2");

        using var response = await http.GetAsync("v1.0/security/incidents");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("BadRequest", error.GetProperty("code").GetString());
        Assert.StartsWith("Unsupported request: ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var inner = error.GetProperty("innerError");
        Assert.Equal("c1d2", inner.GetProperty("client-request-id").GetString());
        Assert.True(Guid.TryParse(inner.GetProperty("request-id").GetString(), out _));
        Assert.True(DateTime.TryParse(inner.GetProperty("date").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
    }

    [Fact]
    public async Task UnknownQueryOption_Returns400()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        using var http = GraphTestClient.CreateRaw(tenant);

        using var response = await http.GetAsync("v1.0/users?$search=\"displayName:adele\"");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task RequestLog_PasswordInBody_IsRedactedEvenWhenRejected()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        using var http = GraphTestClient.CreateRaw(tenant);
        const string body = "{\"passwordProfile\":{\"password\":\"weak\",\"forceChangePasswordNextSignIn\":true}}";

        using var response = await http.PatchAsync($"v1.0/users/{Ids.Adele}", new StringContent(body, Encoding.UTF8, "application/json"));

        var entry = Assert.Single(tenant.Requests.Snapshot());
        Assert.Equal(400, entry.StatusCode);
        Assert.Equal("PATCH", entry.Method);
        Assert.DoesNotContain("weak", entry.Body, StringComparison.Ordinal);
        Assert.Contains("\"password\":\"***\"", entry.Body, StringComparison.Ordinal);
        Assert.Contains("forceChangePasswordNextSignIn", entry.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestLog_QueryOptions_AreDecodedForReadingAndClearEmptiesIt()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        await graph.AuditLogs.SignIns.GetAsync(r => r.QueryParameters.Filter = $"userId eq '{Ids.Adele}'");

        Assert.Equal(1, tenant.Requests.Count("GET", $"$filter=userId eq '{Ids.Adele}'"));
        tenant.Requests.Clear();
        Assert.Empty(tenant.Requests.Snapshot());
    }
}
