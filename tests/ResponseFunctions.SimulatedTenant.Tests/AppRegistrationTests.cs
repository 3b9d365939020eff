using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.SimulatedTenant.Tests.Infrastructure;

namespace ResponseFunctions.SimulatedTenant.Tests;

/// <summary>What `setup permissions` sends: app registrations, their service principals and app role grants, as Graph answers them.</summary>
public sealed class AppRegistrationTests
{
    private const string PlaybookIdentity = "3e5f7a90-2b4c-4d6e-8f01-a2b3c4d5e6f7";
    private const string GraphAppId = "00000003-0000-0000-c000-000000000000";

    [Fact]
    public async Task GrantApplicationPermission_Twice_SecondAnswers400AlreadyExists()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);
        var graphSp = (await graph.ServicePrincipals.GetAsync(r => r.QueryParameters.Filter = $"appId eq '{GraphAppId}'"))!.Value!.Single();
        var role = graphSp.AppRoles!.Single(r => r.Value == "User.Read.All");
        // A fresh model each time: the SDK's backing store sends only properties changed since the last serialization.
        AppRoleAssignment Grant() => new() { PrincipalId = Guid.Parse(PlaybookIdentity), ResourceId = Guid.Parse(graphSp.Id!), AppRoleId = role.Id };

        var created = await graph.ServicePrincipals[PlaybookIdentity].AppRoleAssignments.PostAsync(Grant());
        var again = await Assert.ThrowsAsync<ODataError>(() => graph.ServicePrincipals[PlaybookIdentity].AppRoleAssignments.PostAsync(Grant()));

        Assert.Equal("ServicePrincipal", created!.PrincipalType);
        Assert.Equal(400, again.ResponseStatusCode);
        Assert.Contains("already exists", again.Error!.Message, StringComparison.Ordinal);
        var held = await graph.ServicePrincipals[PlaybookIdentity].AppRoleAssignments.GetAsync();
        Assert.Equal(role.Id, Assert.Single(held!.Value!).AppRoleId);
    }

    [Fact]
    public async Task GrantApplicationPermission_UnknownRoleOrAnotherPrincipal_IsRefused()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);
        var graphSp = (await graph.ServicePrincipals.GetAsync(r => r.QueryParameters.Filter = $"appId eq '{GraphAppId}'"))!.Value!.Single();

        var unknownRole = await Assert.ThrowsAsync<ODataError>(() => graph.ServicePrincipals[PlaybookIdentity].AppRoleAssignments.PostAsync(
            new AppRoleAssignment { PrincipalId = Guid.Parse(PlaybookIdentity), ResourceId = Guid.Parse(graphSp.Id!), AppRoleId = Guid.NewGuid() }));
        var otherPrincipal = await Assert.ThrowsAsync<ODataError>(() => graph.ServicePrincipals[PlaybookIdentity].AppRoleAssignments.PostAsync(
            new AppRoleAssignment { PrincipalId = Guid.Parse(graphSp.Id!), ResourceId = Guid.Parse(graphSp.Id!), AppRoleId = graphSp.AppRoles!.First().Id }));

        Assert.Equal(400, unknownRole.ResponseStatusCode);
        Assert.Equal(400, otherPrincipal.ResponseStatusCode);
        Assert.Empty(tenant.State.Read(m => m.AppRoleAssignments.Where(a => a.PrincipalId == PlaybookIdentity).ToList()));
    }

    [Fact]
    public async Task UpdateApplication_DroppingAnEnabledAppRole_IsRefusedUntilItIsDisabled()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);
        var roleId = Guid.NewGuid();
        var role = new AppRole { Id = roleId, Value = "Containment.Approver", DisplayName = "Approver", Description = "Approves", AllowedMemberTypes = ["User"], IsEnabled = true };
        var app = await graph.Applications.PostAsync(new Application { DisplayName = "approvals", AppRoles = [role] });

        var dropped = await Assert.ThrowsAsync<ODataError>(() => graph.Applications[app!.Id].PatchAsync(new Application { AppRoles = [] }));
        await graph.Applications[app!.Id].PatchAsync(new Application { AppRoles = [new AppRole { Id = roleId, Value = role.Value, DisplayName = role.DisplayName, Description = role.Description, AllowedMemberTypes = ["User"], IsEnabled = false }] });
        await graph.Applications[app.Id].PatchAsync(new Application { AppRoles = [] });

        Assert.Equal("CannotDeleteOrUpdateEnabledEntitlement", dropped.Error!.Code);
        Assert.Empty((await graph.Applications[app.Id].GetAsync())!.AppRoles!);
    }

    [Fact]
    public async Task CreateServicePrincipal_ForAnAppThatHasOne_Answers409_AndAUserGetsTheAppRole()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);
        var roleId = Guid.NewGuid();
        var app = await graph.Applications.PostAsync(new Application
        {
            DisplayName = "approvals",
            AppRoles = [new AppRole { Id = roleId, Value = "Containment.Approver", DisplayName = "Approver", Description = "Approves", AllowedMemberTypes = ["User"], IsEnabled = true }],
        });
        var sp = await graph.ServicePrincipals.PostAsync(new ServicePrincipal { AppId = app!.AppId, AppRoleAssignmentRequired = true });

        var second = await Assert.ThrowsAsync<ODataError>(() => graph.ServicePrincipals.PostAsync(new ServicePrincipal { AppId = app.AppId }));
        var assigned = await graph.ServicePrincipals[sp!.Id].AppRoleAssignedTo.PostAsync(
            new AppRoleAssignment { PrincipalId = Guid.Parse(Ids.Adele), ResourceId = Guid.Parse(sp.Id!), AppRoleId = roleId });

        Assert.Equal(409, second.ResponseStatusCode);
        Assert.True(sp.AppRoleAssignmentRequired);
        Assert.Equal("Containment.Approver", Assert.Single(sp.AppRoles!).Value);
        Assert.Equal("User", assigned!.PrincipalType);
    }
}
