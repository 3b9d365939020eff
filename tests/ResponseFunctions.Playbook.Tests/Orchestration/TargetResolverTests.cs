using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;
using ResponseFunctions.SimulatedTenant;

namespace ResponseFunctions.Playbook.Tests.Orchestration;

/// <summary>Users named by an incident are resolved in lists of 15, in the request's order, and what no list answers is looked up alone.</summary>
public sealed class TargetResolverTests
{
    [Fact]
    public async Task Prepare_SeventeenPrincipalNamesAnIdAndAnUnknown_ListReadsThenOneLookupForTheUnknown()
    {
        await using var harness = await PlaybookHarness.StartAsync(model: PasswordSprayScenario.Build(16));
        var sprayed = Enumerable.Range(0, 16).Select(i => PasswordSprayScenario.UserPrincipalName(i)).ToList();
        string[] named = [sprayed[3], Contoso.AdeleUpn, .. sprayed, "nobody@contoso.onmicrosoft.com", Contoso.Adele];

        var prepared = await harness.Activities.PrepareAsync(new PrepareInput("resolve", PlaybookHarness.Request(users: named, incidentId: "INC-RESOLVE"), DateTimeOffset.UtcNow), default);

        Assert.Equal([sprayed[3], Contoso.AdeleUpn, .. sprayed.Where(u => u != sprayed[3])], prepared.Scope.Users.Select(u => u.Name));
        Assert.Equal("nobody@contoso.onmicrosoft.com", Assert.Single(prepared.Unresolved).Value);
        var reads = harness.Tenant.Requests.Snapshot().Where(r => r.PathAndQuery.StartsWith("/v1.0/users", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, reads.Count(r => r.PathAndQuery.StartsWith("/v1.0/users?$filter=userPrincipalName in (", StringComparison.Ordinal)));
        Assert.Equal(1, reads.Count(r => r.PathAndQuery.StartsWith("/v1.0/users?$filter=id in (", StringComparison.Ordinal)));
        Assert.Equal("/v1.0/users/nobody@contoso.onmicrosoft.com", Assert.Single(reads, r => !r.PathAndQuery.Contains("$filter", StringComparison.Ordinal)).PathAndQuery.Split('?')[0]);
    }
}
