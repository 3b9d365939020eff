using System.Net;
using System.Text;
using ResponseFunctions.SimulatedTenant.Tests.Infrastructure;

namespace ResponseFunctions.SimulatedTenant.Tests.Teams;

public sealed class TeamsWebhookPlaneTests
{
    private const string Card = """{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard","version":"1.4","body":[{"type":"TextBlock","text":"hi"}]}}]}""";

    [Fact]
    public async Task Post_AdaptiveCardMessage_202EmptyAndRecorded()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        using var http = GraphTestClient.CreateRaw(tenant, withToken: false);

        using var response = await http.PostAsync("teams/webhooks/soc", new StringContent(Card, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        var message = Assert.Single(tenant.State.Read(m => m.TeamsMessages.ToList()));
        Assert.Equal("soc", message.WebhookId);
        Assert.Equal("hi", (string?)message.Message["attachments"]![0]!["content"]!["body"]![0]!["text"]);
    }

    [Theory]
    [InlineData("""{"@type":"MessageCard","text":"legacy"}""")]
    [InlineData("""{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard","version":"1.6","body":[]}}]}""")]
    public async Task Post_WhatWorkflowsRefuses_400AndNothingRecorded(string body)
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        using var http = GraphTestClient.CreateRaw(tenant, withToken: false);

        using var response = await http.PostAsync("teams/webhooks/soc", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(tenant.State.Read(m => m.TeamsMessages.ToList()));
    }
}
