using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ResponseFunctions.SimulatedTenant.Tests.Infrastructure;

namespace ResponseFunctions.SimulatedTenant.Tests;

/// <summary>POST /v1.0/$batch as Graph's JSON batching does it: per-request status, dependsOn and 424, per-request throttling, at most 20.</summary>
public sealed class JsonBatchingTests
{
    [Fact]
    public async Task Batch_ReadWriteAndAFailedDependency_EachAnsweredOnItsOwnAndLoggedWithItsBatch()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        using var http = GraphTestClient.CreateRaw(tenant);

        var responses = await BatchAsync(http, new JsonArray
        {
            new JsonObject { ["id"] = "read", ["method"] = "GET", ["url"] = $"/users/{Ids.Adele}?$select=id,accountEnabled" },
            new JsonObject
            {
                ["id"] = "disable", ["method"] = "PATCH", ["url"] = $"/users/{Ids.Adele}", ["dependsOn"] = new JsonArray("read"),
                ["headers"] = new JsonObject { ["Content-Type"] = "application/json" }, ["body"] = new JsonObject { ["accountEnabled"] = false },
            },
            new JsonObject { ["id"] = "missing", ["method"] = "GET", ["url"] = "/users/00000000-0000-4000-8000-000000000000" },
            new JsonObject { ["id"] = "after-missing", ["method"] = "GET", ["url"] = $"/users/{Ids.Adele}", ["dependsOn"] = new JsonArray("missing") },
        });

        Assert.Equal(200, Status(responses, "read"));
        Assert.True(responses.Single(r => r!["id"]!.GetValue<string>() == "read")!["body"]!["accountEnabled"]!.GetValue<bool>());
        Assert.Equal(204, Status(responses, "disable"));
        Assert.Equal(404, Status(responses, "missing"));
        Assert.Equal(424, Status(responses, "after-missing"));
        Assert.False(tenant.State.Read(m => m.FindUser(Ids.Adele)!.AccountEnabled));
        var log = tenant.Requests.Snapshot();
        var envelope = Assert.Single(log, r => r.Batch is null);
        Assert.Equal("/v1.0/$batch", envelope.PathAndQuery);
        // The three requests that ran are logged as their own, with their batch; the one that never ran is not.
        Assert.Equal(3, log.Count(r => r.Batch is not null));
        Assert.Contains(log, r => r.Batch is not null && r.Method == "PATCH" && r.StatusCode == 204);
    }

    [Fact]
    public async Task Batch_TwoIdentityProtectionReadsInOneSecond_SecondAlone429WithoutFailingTheFirst()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero));
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario, clock);
        tenant.Throttling.Enable(new ThrottlingOptions(TenantSize.Large));
        using var http = GraphTestClient.CreateRaw(tenant);

        var responses = await BatchAsync(http, new JsonArray
        {
            new JsonObject { ["id"] = "1", ["method"] = "GET", ["url"] = $"/identityProtection/riskyUsers/{Ids.Adele}" },
            new JsonObject { ["id"] = "2", ["method"] = "GET", ["url"] = $"/identityProtection/riskyUsers/{Ids.Adele}" },
        });

        Assert.Equal(200, Status(responses, "1"));
        Assert.Equal(429, Status(responses, "2"));
    }

    [Fact]
    public async Task Batch_TwentyOneRequests_Refused400AndNothingRuns()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        using var http = GraphTestClient.CreateRaw(tenant);
        var requests = new JsonArray([.. Enumerable.Range(1, 21).Select(i => (JsonNode)new JsonObject { ["id"] = $"{i}", ["method"] = "GET", ["url"] = $"/users/{Ids.Adele}" })]);

        using var response = await http.PostAsync("/v1.0/$batch", new StringContent(new JsonObject { ["requests"] = requests }.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(tenant.Requests.Snapshot(), r => r.Batch is not null);
    }

    private static async Task<JsonArray> BatchAsync(HttpClient http, JsonArray requests)
    {
        using var response = await http.PostAsync("/v1.0/$batch", new StringContent(new JsonObject { ["requests"] = requests }.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (JsonArray)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["responses"]!;
    }

    private static int Status(JsonArray responses, string id) => responses.Single(r => r!["id"]!.GetValue<string>() == id)!["status"]!.GetValue<int>();
}
