using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ResponseFunctions.SimulatedTenant.Tests.Infrastructure;

namespace ResponseFunctions.SimulatedTenant.Tests;

/// <summary>The ARM plane: comments on the Microsoft Sentinel incidents of "compromised-account-sentinel".</summary>
public sealed class SentinelArmTests
{
    private const string Scenario = "compromised-account-sentinel";
    private const string Incident = "/subscriptions/2f8c4a61-7d3e-4b9a-8c5f-1e2d3c4b5a69/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-soc-contoso/providers/Microsoft.SecurityInsights/Incidents/7e1f0c2a-5b3d-4e8f-9a6c-2d4b1f3e5a70";
    private const string CommentId = "5f0c8a8e-3d2b-4c1a-9e7f-6b5a4c3d2e1f";
    private const string ApiVersion = "?api-version=2024-09-01";

    [Fact]
    public async Task PutComment_SameIdTwice_CreatesThenReplacesOneComment()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Scenario);
        var arm = GraphTestClient.CreateRaw(tenant);

        var first = await arm.PutAsJsonAsync($"{Incident}/comments/{CommentId}{ApiVersion}", new { properties = new { message = "plan v1" } });
        var second = await arm.PutAsJsonAsync($"{Incident}/comments/{CommentId}{ApiVersion}", new { properties = new { message = "plan v2" } });
        using var list = JsonDocument.Parse(await arm.GetStringAsync($"{Incident}/comments{ApiVersion}"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var comment = Assert.Single(list.RootElement.GetProperty("value").EnumerateArray());
        Assert.Equal("plan v2", comment.GetProperty("properties").GetProperty("message").GetString());
        Assert.Equal($"{Incident}/comments/{CommentId}", comment.GetProperty("id").GetString());
        Assert.Equal(2, tenant.State.Read(m => m.Sentinel.Comments.Single().Writes));
    }

    [Fact]
    public async Task PutComment_UnknownIncident_Answers404()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Scenario);
        var arm = GraphTestClient.CreateRaw(tenant);

        var response = await arm.PutAsJsonAsync($"{Incident[..^2]}ff/comments/{CommentId}{ApiVersion}", new { properties = new { message = "x" } });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NotFound", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        Assert.Empty(tenant.State.Read(m => m.Sentinel.Comments));
    }

    [Fact]
    public async Task PutComment_WithoutApiVersionOrMessageOrToken_IsRefused()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Scenario);
        var arm = GraphTestClient.CreateRaw(tenant);
        var anonymous = GraphTestClient.CreateRaw(tenant, withToken: false);

        var noVersion = await arm.PutAsJsonAsync($"{Incident}/comments/{CommentId}", new { properties = new { message = "x" } });
        var noMessage = await arm.PutAsJsonAsync($"{Incident}/comments/{CommentId}{ApiVersion}", new { properties = new { } });
        var noToken = await anonymous.PutAsJsonAsync($"{Incident}/comments/{CommentId}{ApiVersion}", new { properties = new { message = "x" } });

        Assert.Equal(HttpStatusCode.BadRequest, noVersion.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noMessage.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Empty(tenant.State.Read(m => m.Sentinel.Comments));
    }
}
