using System.Text.Json;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.SimulatedTenant.Tests.Infrastructure;

namespace ResponseFunctions.SimulatedTenant.Tests;

public sealed class RiskDetectionsTests
{
    private const string Scenario = "compromised-account-risky-users";

    [Fact]
    public async Task RiskDetections_FilterDetectedDateTimeGe_ReturnsThoseAtOrAfterInDetectionOrder()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Scenario);
        var graph = GraphTestClient.Create(tenant);

        var page = await graph.IdentityProtection.RiskDetections.GetAsync(r => r.QueryParameters.Filter = "detectedDateTime ge 2026-11-20T06:00:00Z");

        Assert.Equal(["c0ffee00-0000-4000-8000-00000000d003", "c0ffee00-0000-4000-8000-00000000d004", "c0ffee00-0000-4000-8000-00000000d005"], page!.Value!.Select(d => d.Id));
        Assert.Equal(RiskState.Dismissed, page.Value![0].RiskState);
        Assert.Equal("suspiciousInboxForwarding", page.Value[1].RiskEventType);
    }

    [Fact]
    public async Task RiskDetections_FilterRiskLevelEqAndDate_Combines()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Scenario);
        var graph = GraphTestClient.Create(tenant);

        var page = await graph.IdentityProtection.RiskDetections.GetAsync(r => r.QueryParameters.Filter = "riskLevel eq 'medium' and detectedDateTime ge 2026-11-20T00:00:00Z");

        var medium = Assert.Single(page!.Value!);
        Assert.Equal(RiskLevel.Medium, medium.RiskLevel);
        Assert.Equal(Ids.Megan, medium.UserId);
    }

    [Fact]
    public async Task RiskDetections_Top2_PagesWithNextLinkUntilTheEnd()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Scenario);
        var raw = GraphTestClient.CreateRaw(tenant);
        var ids = new List<string>();
        var url = "v1.0/identityProtection/riskDetections?$top=2";
        var pages = 0;

        while (url is not null)
        {
            using var document = JsonDocument.Parse(await raw.GetStringAsync(url));
            ids.AddRange(document.RootElement.GetProperty("value").EnumerateArray().Select(d => d.GetProperty("id").GetString()!));
            url = document.RootElement.TryGetProperty("@odata.nextLink", out var next) ? next.GetString()!.Replace("https://graph.microsoft.com/", "", StringComparison.Ordinal) : null;
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(5, ids.Distinct().Count());
    }

    [Fact]
    public async Task RiskDetections_UnsupportedFilter_Answers400()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Scenario);
        var graph = GraphTestClient.Create(tenant);

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.IdentityProtection.RiskDetections.GetAsync(r => r.QueryParameters.Filter = "startswith(userPrincipalName,'a')"));

        Assert.Equal(400, error.ResponseStatusCode);
    }
}
