using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Setup;
using Tenant = ResponseFunctions.SimulatedTenant.SimulatedTenant;

namespace ResponseFunctions.Cli.Tests;

/// <summary>`setup permissions` against the simulated tenant: the plan, the grants, and a second run that writes nothing.</summary>
public sealed class SetupPermissionsTests
{
    private const string PlaybookIdentity = "3e5f7a90-2b4c-4d6e-8f01-a2b3c4d5e6f7";
    private static readonly Uri AppUrl = new("https://func-rf.azurewebsites.net");

    [Fact]
    public async Task Plan_OnCompromisedAccount_ListsExactlyTheReadmeTable_AndChangesNothing()
    {
        var stateOut = Path.Combine(Path.GetTempPath(), $"rf-setup-{Guid.NewGuid():N}.json");
        var (exit, output, error) = await Cli.RunAsync("setup", "permissions", "--plan", "--scenario", "compromised-account", "--identity", PlaybookIdentity, "--state-out", stateOut);

        Assert.True(exit == 0, error);
        var planned = output.Split('\n').Where(l => l.StartsWith("+ ", StringComparison.Ordinal) && !l.Contains("Approval app", StringComparison.Ordinal))
            .Select(l => l[2..].Trim()[16..].Trim().Split("  ")[0].Trim())
            .ToList();
        var readme = ReadmeTables.After("### What the hook grants").Select(r => r[0].Trim('`')).ToList();
        Assert.Equal(readme.Order(), planned.Order());
        Assert.Contains("Plan: ", output, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", output, StringComparison.Ordinal);

        var state = JsonNode.Parse(await File.ReadAllTextAsync(stateOut))!;
        Assert.DoesNotContain(state["appRoleAssignments"]!.AsArray(), a => (string?)a!["principalId"] == PlaybookIdentity);
        Assert.DoesNotContain(state["applications"]!.AsArray(), a => (string?)a!["displayName"] == PermissionSetup.ApprovalAppDisplayName);
    }

    [Fact]
    public async Task Apply_GrantsTheManifest_ThenASecondRunWritesNothing()
    {
        await using var tenant = await Tenant.StartInProcessAsync("compromised-account");
        var setup = new PermissionSetup(PlaybookGraphClient.Create(new LoopbackCredential(), tenant.GraphBaseUrl, tenant.CreateHandler()));

        var first = await setup.RunAsync(PlaybookIdentity, AppUrl, apply: true, CancellationToken.None);

        Assert.All(first.Grants, g => Assert.True(g.Changed, $"{g.Name} was already in place on a fresh identity"));
        var model = tenant.State.Read(m => m);
        var graphSp = model.ServicePrincipals.Single(s => s.AppId == PermissionManifest.GraphAppId);
        var granted = model.AppRoleAssignments.Where(a => a.PrincipalId == PlaybookIdentity && a.ResourceId == graphSp.Id)
            .Select(a => graphSp.AppRoles.Single(r => r.Id == a.AppRoleId).Value)
            .Order()
            .ToList();
        Assert.Equal(PermissionManifest.GraphApplicationPermissions.Order(), granted);
        var exchangeSp = model.ServicePrincipals.Single(s => s.AppId == PermissionManifest.ExchangeAppId);
        Assert.Single(model.AppRoleAssignments, a => a.PrincipalId == PlaybookIdentity && a.ResourceId == exchangeSp.Id);
        Assert.Equal(PermissionManifest.DirectoryRoles.Select(r => r.TemplateId).Order(),
            model.RoleAssignments.Where(a => a.PrincipalId == PlaybookIdentity && a.DirectoryScopeId == "/").Select(a => a.RoleDefinitionId).Order());
        var app = Assert.Single(model.Applications, a => a.DisplayName == PermissionSetup.ApprovalAppDisplayName);
        Assert.Equal(first.ApprovalAppClientId, app.AppId);
        Assert.Contains(app.AppRoles, r => r.Value == "Containment.Approver" && r.AllowedMemberTypes.SequenceEqual(["User"]));
        Assert.Equal(["https://func-rf.azurewebsites.net/.auth/login/aad/callback"], app.WebRedirectUris);
        Assert.True(model.ServicePrincipals.Single(s => s.AppId == app.AppId).AppRoleAssignmentRequired);

        tenant.Requests.Clear();
        var second = await setup.RunAsync(PlaybookIdentity, AppUrl, apply: true, CancellationToken.None);

        Assert.Empty(second.Changes);
        Assert.Equal(first.ApprovalAppClientId, second.ApprovalAppClientId);
        Assert.All(tenant.Requests.Snapshot(), r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public async Task Apply_WithAnExistingApprovalAppAndAnExtraPermission_KeepsTheirRolesAndReportsTheExtra()
    {
        await using var tenant = await Tenant.StartInProcessAsync("compromised-account");
        var graph = PlaybookGraphClient.Create(new LoopbackCredential(), tenant.GraphBaseUrl, tenant.CreateHandler());
        var existingRole = Guid.NewGuid();
        await graph.Applications.PostAsync(new Microsoft.Graph.Models.Application
        {
            DisplayName = PermissionSetup.ApprovalAppDisplayName,
            AppRoles = [new Microsoft.Graph.Models.AppRole { Id = existingRole, Value = "Reader", DisplayName = "Reader", Description = "Reads", AllowedMemberTypes = ["User"], IsEnabled = true }],
        });
        var graphSp = tenant.State.Read(m => m.ServicePrincipals.Single(s => s.AppId == PermissionManifest.GraphAppId));
        var mailSend = graphSp.AppRoles.Single(r => r.Value == "Mail.Send");
        await graph.ServicePrincipals[PlaybookIdentity].AppRoleAssignments.PostAsync(new Microsoft.Graph.Models.AppRoleAssignment
        {
            PrincipalId = Guid.Parse(PlaybookIdentity), ResourceId = Guid.Parse(graphSp.Id), AppRoleId = Guid.Parse(mailSend.Id),
        });

        var result = await new PermissionSetup(graph).RunAsync(PlaybookIdentity, AppUrl, apply: true, CancellationToken.None);

        Assert.Equal(["Microsoft Graph Mail.Send"], result.Unneeded);
        var app = tenant.State.Read(m => m.Applications.Single(a => a.DisplayName == PermissionSetup.ApprovalAppDisplayName));
        Assert.Equal(["Reader", "Containment.Approver"], app.AppRoles.Select(r => r.Value));
        Assert.Contains(tenant.State.Read(m => m.AppRoleAssignments), a => a.AppRoleId == mailSend.Id && a.PrincipalId == PlaybookIdentity);
    }

    [Fact]
    public async Task Setup_WithoutIdentity_IsRefusedAsUsage()
    {
        var (exit, _, error) = await Cli.RunAsync("setup", "permissions", "--plan", "--scenario", "compromised-account");

        Assert.Equal(2, exit);
        Assert.Contains("--identity", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_ForAnIdentityTheTenantDoesNotHave_FailsSayingSo()
    {
        var (exit, _, error) = await Cli.RunAsync("setup", "permissions", "--plan", "--scenario", "compromised-account", "--identity", Guid.NewGuid().ToString());

        Assert.Equal(1, exit);
        Assert.Contains("404", error, StringComparison.Ordinal);
    }
}
