using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.SimulatedTenant.Tests.Infrastructure;

namespace ResponseFunctions.SimulatedTenant.Tests;

public sealed class UsersTests
{
    [Fact]
    public async Task GetUser_ById_ReturnsSeededCompromisedUser()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var user = await graph.Users[Ids.Adele].GetAsync();

        Assert.NotNull(user);
        Assert.Equal(Ids.AdeleUpn, user.UserPrincipalName);
        Assert.Equal("Adele Vance", user.DisplayName);
        Assert.True(user.AccountEnabled);
        Assert.Null(user.OnPremisesSyncEnabled);
    }

    [Fact]
    public async Task GetUser_ByUpnInOtherCase_ReturnsSameUser()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var user = await graph.Users["Adele.Vance@CONTOSO.onmicrosoft.com"].GetAsync();

        Assert.Equal(Ids.Adele, user?.Id);
    }

    [Fact]
    public async Task GetUser_GuestUpnWithExtMarker_IsDecodedAndFound()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        const string guestUpn = "guest_fabrikam.com#EXT#@contoso.onmicrosoft.com";
        tenant.State.Mutate(m => m.Users.Add(new SimUser { Id = "9f000000-0000-4000-8000-0000000000e1", DisplayName = "Guest", UserPrincipalName = guestUpn, UserType = "Guest" }));
        var graph = GraphTestClient.Create(tenant);

        var user = await graph.Users[guestUpn].GetAsync();

        Assert.Equal("Guest", user?.UserType);
    }

    [Fact]
    public async Task GetUser_UnknownId_ThrowsRequestResourceNotFound()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Users["00000000-0000-0000-0000-000000000000"].GetAsync());

        Assert.Equal(404, error.ResponseStatusCode);
        Assert.Equal("Request_ResourceNotFound", error.Error?.Code);
        Assert.False(string.IsNullOrEmpty(error.Error?.InnerError?.RequestId));
    }

    [Fact]
    public async Task ListUsers_FilterByUpnAndEnabled_ReturnsOnlyMatch()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var page = await graph.Users.GetAsync(r => r.QueryParameters.Filter = $"userPrincipalName eq '{Ids.AdeleUpn}' and accountEnabled eq true");

        var user = Assert.Single(page!.Value!);
        Assert.Equal(Ids.Adele, user.Id);
    }

    [Fact]
    public async Task ListUsers_FilterIdIn_EveryListedUserUnknownIdsIgnored()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var page = await graph.Users.GetAsync(r => r.QueryParameters.Filter = $"id in ('{Ids.Adele}','{Ids.Megan}','00000000-0000-4000-8000-000000000000')");

        Assert.Equal(new string?[] { Ids.Adele, Ids.Megan }.Order(), page!.Value!.Select(u => u.Id).Order());
    }

    [Fact]
    public async Task ListUsers_FilterInOnAPropertyWithoutIn_Throws400()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Users.GetAsync(r => r.QueryParameters.Filter = "accountEnabled in (true)"));

        Assert.Equal(400, error.ResponseStatusCode);
    }

    [Fact]
    public async Task ListUsers_FilterOnUnsupportedProperty_Throws400()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Users.GetAsync(r => r.QueryParameters.Filter = "startswith(displayName,'A')"));

        Assert.Equal(400, error.ResponseStatusCode);
    }

    [Fact]
    public async Task PatchUser_AccountEnabledFalse_DisablesAccount()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        await graph.Users[Ids.Adele].PatchAsync(new User { AccountEnabled = false });

        Assert.False((await graph.Users[Ids.Adele].GetAsync())?.AccountEnabled);
        Assert.False(tenant.State.Read(m => m.FindUser(Ids.Adele)!.AccountEnabled));
    }

    [Fact]
    public async Task PatchUser_WeakPassword_ThrowsComplexityErrorAndChangesNothing()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);
        var before = tenant.State.Read(m => m.FindUser(Ids.Adele)!.LastPasswordChangeDateTime);

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Users[Ids.Adele].PatchAsync(new User
        {
            PasswordProfile = new PasswordProfile { Password = "password1", ForceChangePasswordNextSignIn = true },
        }));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Equal("Request_BadRequest", error.Error?.Code);
        Assert.Equal("The specified password does not comply with password complexity requirements. Please provide a different password.", error.Error?.Message);
        Assert.Equal(before, tenant.State.Read(m => m.FindUser(Ids.Adele)!.LastPasswordChangeDateTime));
    }

    [Fact]
    public async Task PatchUser_StrongPassword_RecordsChangeAndForceFlagButNeverThePassword()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 8, 15, 0, TimeSpan.Zero));
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario, clock);
        var graph = GraphTestClient.Create(tenant);
        const string password = "Xk#92-correct-Horse";

        await graph.Users[Ids.Adele].PatchAsync(new User
        {
            PasswordProfile = new PasswordProfile { Password = password, ForceChangePasswordNextSignIn = true },
        });

        var user = tenant.State.Read(m => m.FindUser(Ids.Adele)!);
        Assert.Equal(clock.GetUtcNow(), user.LastPasswordChangeDateTime);
        Assert.True(user.ForceChangePasswordNextSignIn);
        Assert.DoesNotContain(password, tenant.ExportStateJson(), StringComparison.Ordinal);
        Assert.DoesNotContain(tenant.Requests.Snapshot(), r => r.Body?.Contains(password, StringComparison.Ordinal) == true);
        Assert.Contains(tenant.Requests.Snapshot(), r => r.Body?.Contains("\"password\":\"***\"", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task PatchUser_SyncedUserPassword_ThrowsOnPremMastered()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);
        var before = tenant.State.Read(m => m.FindUser(Ids.Lee)!.LastPasswordChangeDateTime);

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Users[Ids.Lee].PatchAsync(
            new User { PasswordProfile = new PasswordProfile { Password = "Str0ng!Passw0rd-42", ForceChangePasswordNextSignIn = true } }));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Contains("on-premises mastered", error.Error?.Message, StringComparison.Ordinal);
        Assert.Equal(before, tenant.State.Read(m => m.FindUser(Ids.Lee)!.LastPasswordChangeDateTime));
    }

    [Fact]
    public async Task PatchUser_SyncedUserAccountEnabled_IsAcceptedInTheCloud()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        await graph.Users[Ids.Lee].PatchAsync(new User { AccountEnabled = false });

        Assert.False(tenant.State.Read(m => m.FindUser(Ids.Lee)!.AccountEnabled));
    }

    [Fact]
    public async Task PatchUser_UnsupportedProperty_Throws400InsteadOfIgnoring()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Users[Ids.Adele].PatchAsync(new User { JobTitle = "CEO" }));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.StartsWith("Unsupported request", error.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeSignInSessions_ReturnsTrueAndMovesValidFromToNow()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 8, 5, 0, TimeSpan.Zero));
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario, clock);
        var graph = GraphTestClient.Create(tenant);

        var result = await graph.Users[Ids.Adele].RevokeSignInSessions.PostAsRevokeSignInSessionsPostResponseAsync();

        Assert.True(result?.Value);
        var user = await graph.Users[Ids.Adele].GetAsync();
        Assert.Equal(clock.GetUtcNow(), user?.SignInSessionsValidFromDateTime);
    }

    [Fact]
    public async Task MemberOfGroups_CompromisedUser_ReturnsBothGroupsWithRoleAssignability()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var groups = await graph.Users[Ids.Adele].MemberOf.GraphGroup.GetAsync();
        var all = await graph.Users[Ids.Adele].MemberOf.GetAsync();

        Assert.Equal(2, groups!.Value!.Count);
        Assert.True(groups.Value.Single(g => g.Id == Ids.SecOpsGroup).IsAssignableToRole);
        Assert.All(all!.Value!, o => Assert.IsType<Group>(o));
    }
}
