using Microsoft.Graph.IdentityProtection.RiskyUsers.ConfirmCompromised;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.SimulatedTenant.Tests.Infrastructure;

namespace ResponseFunctions.SimulatedTenant.Tests;

public sealed class SignInsAndRiskTests
{
    [Fact]
    public async Task SignIns_FilterUserIdWithTop_ReturnsNewestFirst()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var all = (await graph.AuditLogs.SignIns.GetAsync(r => r.QueryParameters.Filter = $"userId eq '{Ids.Adele}'"))!.Value!;
        var top3 = (await graph.AuditLogs.SignIns.GetAsync(r =>
        {
            r.QueryParameters.Filter = $"userId eq '{Ids.Adele}'";
            r.QueryParameters.Top = 3;
        }))!.Value!;

        Assert.Equal(9, all.Count);
        Assert.Equal(all.OrderByDescending(s => s.CreatedDateTime).Select(s => s.Id), all.Select(s => s.Id));
        Assert.Equal(all.Take(3).Select(s => s.Id), top3.Select(s => s.Id));
        Assert.Equal(3, all.Count(s => s.IpAddress == "185.220.101.45" && s.Location?.City == "Moscow" && s.Location.CountryOrRegion == "RU"));
        Assert.Equal(2, all.Count(s => s.IpAddress == "45.155.205.23"));
        Assert.Equal(4, all.Count(s => s.IpAddress == "83.166.128.10"));
    }

    [Fact]
    public async Task SignIns_FilterIpAddress_ReturnsAllUsersFromThatIp()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var fromHq = (await graph.AuditLogs.SignIns.GetAsync(r => r.QueryParameters.Filter = "ipAddress eq '83.166.128.10'"))!.Value!;

        Assert.True(fromHq.Count > 4);
        Assert.All(fromHq, s => Assert.Equal(0, s.Status?.ErrorCode));
    }

    [Fact]
    public async Task RiskyUsers_UnlicensedTenant_Throws403()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.UnlicensedScenario);
        var graph = GraphTestClient.Create(tenant);

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.IdentityProtection.RiskyUsers[Ids.Adele].GetAsync());

        Assert.Equal(403, error.ResponseStatusCode);
        Assert.Equal("Forbidden", error.Error?.Code);
        Assert.Equal("Your tenant is not licensed for this feature.", error.Error?.Message);
    }

    [Fact]
    public async Task RiskyUsers_ConfirmFiveAtOnceThenListWithTop2_EveryUserConfirmedAndListedInThreePages()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(PasswordSprayScenario.Build(5));
        var graph = GraphTestClient.Create(tenant);
        var ids = tenant.State.Read(m => m.Users.Where(u => u.UserPrincipalName.StartsWith("spray", StringComparison.OrdinalIgnoreCase)).Select(u => u.Id).ToList());

        await graph.IdentityProtection.RiskyUsers.ConfirmCompromised.PostAsync(new ConfirmCompromisedPostRequestBody { UserIds = ids });
        var listed = new List<RiskyUser>();
        var page = await graph.IdentityProtection.RiskyUsers.GetAsync(r => r.QueryParameters.Top = 2);
        var pages = 1;
        listed.AddRange(page!.Value!);
        while (page?.OdataNextLink is { } next)
        {
            Assert.Contains("$skiptoken=", Uri.UnescapeDataString(next), StringComparison.Ordinal);
            page = await graph.IdentityProtection.RiskyUsers.WithUrl(tenant.GraphBaseUrl.TrimEnd('/') + next[next.IndexOf("/identityProtection", StringComparison.Ordinal)..]).GetAsync();
            listed.AddRange(page!.Value!);
            pages++;
        }

        // The five confirmed and the scenario's own risky user, each listed once.
        Assert.Equal(3, pages);
        Assert.Equal(tenant.State.Read(m => m.RiskyUsers.Count), listed.DistinctBy(r => r.Id).Count());
        Assert.Equal(listed.Count, listed.DistinctBy(r => r.Id).Count());
        Assert.All(ids, id => Assert.Equal(RiskState.ConfirmedCompromised, listed.Single(r => r.Id == id).RiskState));
        var tooBig = await Assert.ThrowsAsync<ODataError>(() => graph.IdentityProtection.RiskyUsers.GetAsync(r => r.QueryParameters.Top = 501));
        Assert.Equal(400, tooBig.ResponseStatusCode);
    }

    [Fact]
    public async Task ConfirmCompromised_RiskyUser_SetsConfirmedHigh()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);
        var before = await graph.IdentityProtection.RiskyUsers[Ids.Adele].GetAsync();

        await graph.IdentityProtection.RiskyUsers.ConfirmCompromised.PostAsync(new ConfirmCompromisedPostRequestBody { UserIds = [Ids.Adele] });

        var after = await graph.IdentityProtection.RiskyUsers[Ids.Adele].GetAsync();
        Assert.Equal(RiskState.AtRisk, before?.RiskState);
        Assert.Equal(RiskState.ConfirmedCompromised, after?.RiskState);
        Assert.Equal(RiskLevel.High, after?.RiskLevel);
        Assert.Equal(RiskDetail.AdminConfirmedUserCompromised, after?.RiskDetail);
    }
}
