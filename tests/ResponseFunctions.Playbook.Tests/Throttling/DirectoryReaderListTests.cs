using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.SimulatedTenant;

namespace ResponseFunctions.Playbook.Tests.Throttling;

/// <summary>A wave's users read in lists of 15 ("id in"), and each user's own read answered from the list.</summary>
public sealed class DirectoryReaderListTests
{
    [Fact]
    public async Task FindUsers_TwentyIdsThenEachUserRead_TwoListRequestsAndNoOther()
    {
        await using var tenant = await SimulatedTenant.SimulatedTenant.StartInProcessAsync(PasswordSprayScenario.Build(20));
        var directory = new DirectoryReader(PlaybookGraphClient.Create(new LoopbackCredential(), tenant.GraphBaseUrl, tenant.CreateHandler()));
        var ids = tenant.State.Read(m => Enumerable.Range(0, 20).Select(i => m.FindUser(PasswordSprayScenario.UserPrincipalName(i))!.Id).ToList());

        var found = await directory.FindUsersAsync([.. ids, "00000000-0000-4000-8000-000000000000"], "id", CancellationToken.None);
        foreach (var id in ids)
        {
            Assert.Equal(found[id].UserPrincipalName, (await directory.GetUserAsync(id, CancellationToken.None)).UserPrincipalName);
        }

        Assert.Equal(ids.Order(), found.Keys.Order());
        var log = tenant.Requests.Snapshot();
        Assert.True(log.Count == 2, string.Join("\n", log.Select(r => r.PathAndQuery)));
        Assert.All(log, r => Assert.StartsWith("/v1.0/users?$filter=id in (", r.PathAndQuery, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FindUser_ByPrincipalNameThenById_OneRequest()
    {
        // The cache keys reads by the URL kiota sends ("%24select"), not the one a handler below rewrites ("$select").
        await using var tenant = await SimulatedTenant.SimulatedTenant.StartInProcessAsync(PasswordSprayScenario.Build(1));
        var directory = new DirectoryReader(PlaybookGraphClient.Create(new LoopbackCredential(), tenant.GraphBaseUrl, tenant.CreateHandler()));

        var byName = await directory.FindUserAsync(PasswordSprayScenario.UserPrincipalName(0), CancellationToken.None);
        var byId = await directory.GetUserAsync(byName!.Id!, CancellationToken.None);

        Assert.Equal(byName.UserPrincipalName, byId.UserPrincipalName);
        Assert.Single(tenant.Requests.Snapshot());
    }

    [Fact]
    public async Task FindUsers_ByPrincipalNames_FoundByTheirNames()
    {
        await using var tenant = await SimulatedTenant.SimulatedTenant.StartInProcessAsync(PasswordSprayScenario.Build(3));
        var directory = new DirectoryReader(PlaybookGraphClient.Create(new LoopbackCredential(), tenant.GraphBaseUrl, tenant.CreateHandler()));
        var upns = Enumerable.Range(0, 3).Select(i => PasswordSprayScenario.UserPrincipalName(i)).ToList();

        var found = await directory.FindUsersAsync([.. upns.Select(u => u.ToUpperInvariant()), "nobody@contoso.onmicrosoft.com"], "userPrincipalName", CancellationToken.None);

        Assert.Equal(upns, upns.Where(found.ContainsKey));
        Assert.Equal(3, found.Count);
        Assert.Single(tenant.Requests.Snapshot());
    }
}
