using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.SimulatedTenant.Tests.Infrastructure;

namespace ResponseFunctions.SimulatedTenant.Tests;

public sealed class GroupsTests
{
    [Fact]
    public async Task RemoveMemberRef_AttackerAddedMember_RemovesAndSecondTimeIs404()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        await graph.Groups[Ids.SecOpsGroup].Members[Ids.Adele].Ref.DeleteAsync();
        var again = await Assert.ThrowsAsync<ODataError>(() => graph.Groups[Ids.SecOpsGroup].Members[Ids.Adele].Ref.DeleteAsync());

        Assert.Equal(404, again.ResponseStatusCode);
        var members = (await graph.Groups[Ids.SecOpsGroup].Members.GetAsync())!.Value!;
        var alex = Assert.IsType<User>(Assert.Single(members));
        Assert.Equal(Ids.Alex, alex.Id);
    }

    [Fact]
    public async Task AddMemberRef_RemovedMember_AddedBack_SecondTimeRefused()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);
        await graph.Groups[Ids.SecOpsGroup].Members[Ids.Adele].Ref.DeleteAsync();
        var reference = new ReferenceCreate { OdataId = $"https://graph.microsoft.com/v1.0/directoryObjects/{Ids.Adele}" };

        await graph.Groups[Ids.SecOpsGroup].Members.Ref.PostAsync(reference);
        var again = await Assert.ThrowsAsync<ODataError>(() => graph.Groups[Ids.SecOpsGroup].Members.Ref.PostAsync(reference));

        Assert.Equal(400, again.ResponseStatusCode);
        Assert.Contains(Ids.Adele, tenant.State.Read(m => m.FindGroup(Ids.SecOpsGroup)!.Members.ToList()));
    }

    [Fact]
    public async Task GetGroup_RoleAssignable_ReturnsFlags()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var group = await graph.Groups[Ids.SecOpsGroup].GetAsync();
        var allStaff = await graph.Groups[Ids.AllStaffGroup].GetAsync();

        Assert.Equal("SecOps Tier-0 Operators", group?.DisplayName);
        Assert.True(group?.IsAssignableToRole);
        Assert.True(group?.SecurityEnabled);
        Assert.False(allStaff?.IsAssignableToRole);
    }
}
