using System.Net;
using System.Text;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using ResponseFunctions.SimulatedTenant.Tests.Infrastructure;
using RemovePasswordBody = Microsoft.Graph.ServicePrincipals.Item.RemovePassword.RemovePasswordPostRequestBody;
using AddPasswordBody = Microsoft.Graph.Applications.Item.AddPassword.AddPasswordPostRequestBody;

namespace ResponseFunctions.SimulatedTenant.Tests;

/// <summary>Case 2 endpoints: service principals, applications, credentials, owners, grants and consent policies.</summary>
public sealed class ApplicationsTests
{
    [Fact]
    public async Task ServicePrincipals_FilterByAppId_ReturnsTheOneWithoutKeys()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(AppIds.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var page = await graph.ServicePrincipals.GetAsync(r => r.QueryParameters.Filter = $"appId eq '{AppIds.DocViewerAppId}'");
        var none = await graph.ServicePrincipals.GetAsync(r => r.QueryParameters.Filter = $"appId eq '{Guid.NewGuid()}'");

        var sp = Assert.Single(page!.Value!);
        Assert.Equal(AppIds.DocViewerSp, sp.Id);
        Assert.Equal("Doc Viewer Pro", sp.DisplayName);
        Assert.True(sp.AccountEnabled);
        Assert.Empty(none!.Value!);
    }

    [Fact]
    public async Task Application_KeyBytesOnlyWithSelectOnOneObject()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(AppIds.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var listed = Assert.Single((await graph.Applications.GetAsync(r => r.QueryParameters.Filter = $"appId eq '{AppIds.PayrollAppId}'"))!.Value!);
        var plain = await graph.Applications[AppIds.PayrollApp].GetAsync();
        var selected = await graph.Applications[AppIds.PayrollApp].GetAsync(r => r.QueryParameters.Select = ["id", "keyCredentials"]);

        Assert.All(listed.KeyCredentials!, k => Assert.Null(k.Key));
        Assert.All(plain!.KeyCredentials!, k => Assert.Null(k.Key));
        Assert.All(selected!.KeyCredentials!, k => Assert.NotEmpty(k.Key!));
        Assert.Equal(2, selected.KeyCredentials!.Count);
    }

    [Fact]
    public async Task PatchKeyCredentials_KeepsOnlyWhatIsSentBack_WithItsKey()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(AppIds.Scenario);
        var graph = GraphTestClient.Create(tenant);
        var legit = (await graph.Applications[AppIds.PayrollApp].GetAsync(r => r.QueryParameters.Select = ["keyCredentials"]))!
            .KeyCredentials!.Single(k => k.KeyId == Guid.Parse(AppIds.LegitimateCertificate));

        await graph.Applications[AppIds.PayrollApp].PatchAsync(new Application
        {
            KeyCredentials = [new KeyCredential { KeyId = legit.KeyId, Type = legit.Type, Usage = legit.Usage, Key = legit.Key, DisplayName = legit.DisplayName }],
        });

        var keys = tenant.State.Read(m => m.Applications.Single().KeyCredentials.Select(k => (k.KeyId, k.EndDateTime)).ToList());
        Assert.Equal([(AppIds.LegitimateCertificate, new DateTimeOffset(2027, 1, 5, 0, 0, 0, TimeSpan.Zero))], keys);
    }

    [Fact]
    public async Task PatchKeyCredentials_WithoutKey_Is400AndChangesNothing()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(AppIds.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Applications[AppIds.PayrollApp].PatchAsync(new Application
        {
            KeyCredentials = [new KeyCredential { KeyId = Guid.Parse(AppIds.LegitimateCertificate), Type = "AsymmetricX509Cert", Usage = "Verify" }],
        }));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Equal(2, tenant.State.Read(m => m.Applications.Single().KeyCredentials.Count));
    }

    [Fact]
    public async Task PatchPasswordCredentials_Is400_SecretsOnlyThroughRemovePassword()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(AppIds.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var patch = await Assert.ThrowsAsync<ODataError>(() => graph.ServicePrincipals[AppIds.PayrollSp].PatchAsync(new ServicePrincipal { PasswordCredentials = [] }));
        await graph.ServicePrincipals[AppIds.PayrollSp].RemovePassword.PostAsync(new RemovePasswordBody { KeyId = Guid.Parse(AppIds.AttackerSpSecret) });
        var again = await Assert.ThrowsAsync<ODataError>(() =>
            graph.ServicePrincipals[AppIds.PayrollSp].RemovePassword.PostAsync(new RemovePasswordBody { KeyId = Guid.Parse(AppIds.AttackerSpSecret) }));

        Assert.Equal(400, patch.ResponseStatusCode);
        Assert.Equal(404, again.ResponseStatusCode);
        Assert.Empty(tenant.State.Read(m => m.ServicePrincipals.Single(s => s.Id == AppIds.PayrollSp).PasswordCredentials));
        Assert.Single(tenant.State.Read(m => m.Applications.Single().PasswordCredentials));
    }

    [Fact]
    public async Task AddPassword_ReturnsTheSecretOnce_StateKeepsOnlyTheHint()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(AppIds.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var created = await graph.Applications[AppIds.PayrollApp].AddPassword.PostAsync(new AddPasswordBody { PasswordCredential = new PasswordCredential { DisplayName = "rotated" } });

        Assert.False(string.IsNullOrEmpty(created!.SecretText));
        var listed = (await graph.Applications[AppIds.PayrollApp].GetAsync())!.PasswordCredentials!.Single(p => p.KeyId == created.KeyId);
        Assert.Null(listed.SecretText);
        Assert.Equal(created.SecretText[..3], listed.Hint);
        Assert.DoesNotContain(created.SecretText, tenant.ExportStateJson(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FederatedIdentityCredentials_ListThenDelete()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(AppIds.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var listed = (await graph.Applications[AppIds.PayrollApp].FederatedIdentityCredentials.GetAsync())!.Value!;
        await graph.Applications[AppIds.PayrollApp].FederatedIdentityCredentials[AppIds.AttackerFederatedCredential].DeleteAsync();
        var again = await Assert.ThrowsAsync<ODataError>(() => graph.Applications[AppIds.PayrollApp].FederatedIdentityCredentials[AppIds.AttackerFederatedCredential].DeleteAsync());

        Assert.Equal("repo:payroll-tools/exporter:ref:refs/heads/main", Assert.Single(listed).Subject);
        Assert.Equal(404, again.ResponseStatusCode);
        Assert.Empty((await graph.ServicePrincipals[AppIds.PayrollSp].FederatedIdentityCredentials.GetAsync())!.Value!);
    }

    [Fact]
    public async Task Owners_AddAndRemoveByRef_DuplicateIs400_MissingIs404()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(AppIds.Scenario);
        var graph = GraphTestClient.Create(tenant);
        var diego = new ReferenceCreate { OdataId = $"https://graph.microsoft.com/v1.0/directoryObjects/{Ids.Diego}" };

        await graph.Applications[AppIds.PayrollApp].Owners.Ref.PostAsync(diego);
        var duplicate = await Assert.ThrowsAsync<ODataError>(() => graph.Applications[AppIds.PayrollApp].Owners.Ref.PostAsync(
            new ReferenceCreate { OdataId = $"https://graph.microsoft.com/v1.0/directoryObjects/{Ids.Diego}" }));
        await graph.Applications[AppIds.PayrollApp].Owners[Ids.Adele].Ref.DeleteAsync();
        var missing = await Assert.ThrowsAsync<ODataError>(() => graph.Applications[AppIds.PayrollApp].Owners[Ids.Adele].Ref.DeleteAsync());

        Assert.Equal(400, duplicate.ResponseStatusCode);
        Assert.Equal(404, missing.ResponseStatusCode);
        var owner = Assert.IsType<User>(Assert.Single((await graph.Applications[AppIds.PayrollApp].Owners.GetAsync())!.Value!));
        Assert.Equal(Ids.Diego, owner.Id);
        Assert.Equal([Ids.Adele], tenant.State.Read(m => m.ServicePrincipals.Single(s => s.Id == AppIds.PayrollSp).Owners.ToList()));
    }

    [Fact]
    public async Task DeleteOwnerWithoutRef_IsNotRouted_TheUserSurvives()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(AppIds.Scenario);
        using var http = GraphTestClient.CreateRaw(tenant);

        var response = await http.DeleteAsync($"v1.0/applications/{AppIds.PayrollApp}/owners/{Ids.Adele}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(tenant.State.Read(m => m.FindUser(Ids.Adele)));
        Assert.Equal([Ids.Adele], tenant.State.Read(m => m.Applications.Single().Owners.ToList()));
    }

    [Fact]
    public async Task AppRoleAssignments_BothDirections_DeleteThroughTheRightServicePrincipalOnly()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(AppIds.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var assignedTo = (await graph.ServicePrincipals[AppIds.DocViewerSp].AppRoleAssignedTo.GetAsync())!.Value!;
        var held = (await graph.ServicePrincipals[AppIds.PayrollSp].AppRoleAssignments.GetAsync())!.Value!;
        var wrongSp = await Assert.ThrowsAsync<ODataError>(() => graph.ServicePrincipals[AppIds.PayrollSp].AppRoleAssignedTo["ara-docviewer-alex"].DeleteAsync());
        await graph.ServicePrincipals[AppIds.DocViewerSp].AppRoleAssignedTo["ara-docviewer-alex"].DeleteAsync();
        await graph.ServicePrincipals[AppIds.PayrollSp].AppRoleAssignments["ara-payroll-mailread"].DeleteAsync();

        Assert.Equal([Ids.Alex, Ids.Diego], assignedTo.Select(a => a.PrincipalId.ToString()).Order());
        Assert.All(held, a => Assert.Equal(Guid.Parse(AppIds.GraphSp), a.ResourceId));
        Assert.Equal(404, wrongSp.ResponseStatusCode);
        Assert.Equal(["ara-docviewer-diego", "ara-payroll-allstaff", "ara-payroll-userreadall"], tenant.State.Read(m => m.AppRoleAssignments.Select(a => a.Id).Order().ToList()));
    }

    [Fact]
    public async Task PermissionGrants_FilterByClient_Delete()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(AppIds.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var grants = (await graph.Oauth2PermissionGrants.GetAsync(r => r.QueryParameters.Filter = $"clientId eq '{AppIds.DocViewerSp}'"))!.Value!;
        await graph.Oauth2PermissionGrants["dv-grant-allprincipals"].DeleteAsync();
        var again = await Assert.ThrowsAsync<ODataError>(() => graph.Oauth2PermissionGrants["dv-grant-allprincipals"].DeleteAsync());

        Assert.Equal(["AllPrincipals", "Principal"], grants.Select(g => g.ConsentType).Order());
        Assert.Contains(grants, g => g.Scope == "Mail.Read Files.Read.All offline_access");
        Assert.Equal(404, again.ResponseStatusCode);
        Assert.Equal(["dv-grant-lee", "payroll-grant-userread"], tenant.State.Read(m => m.OAuth2PermissionGrants.Select(g => g.Id).Order().ToList()));
    }

    [Fact]
    public async Task ServicePrincipalPatch_DisablesAndRequiresAssignment_OtherPropertiesRefused()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(AppIds.Scenario);
        var graph = GraphTestClient.Create(tenant);

        await graph.ServicePrincipals[AppIds.DocViewerSp].PatchAsync(new ServicePrincipal { AccountEnabled = false, AppRoleAssignmentRequired = true });
        var unsupported = await Assert.ThrowsAsync<ODataError>(() => graph.ServicePrincipals[AppIds.DocViewerSp].PatchAsync(new ServicePrincipal { DisplayName = "x" }));

        var sp = await graph.ServicePrincipals[AppIds.DocViewerSp].GetAsync();
        Assert.False(sp!.AccountEnabled);
        Assert.True(sp.AppRoleAssignmentRequired);
        Assert.Equal(400, unsupported.ResponseStatusCode);
        Assert.Equal("Doc Viewer Pro", sp.DisplayName);
    }

    [Fact]
    public async Task RoleAssignment_CreateAppScoped_FilterByScope_DuplicateIs409()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(AppIds.Scenario);
        var graph = GraphTestClient.Create(tenant);
        UnifiedRoleAssignment Diego() => new()
        {
            PrincipalId = Ids.Diego, RoleDefinitionId = AppIds.CloudApplicationAdministrator, DirectoryScopeId = "/" + AppIds.PayrollApp,
        };

        var created = await graph.RoleManagement.Directory.RoleAssignments.PostAsync(Diego());
        var duplicate = await Assert.ThrowsAsync<ODataError>(() => graph.RoleManagement.Directory.RoleAssignments.PostAsync(Diego()));
        var scoped = (await graph.RoleManagement.Directory.RoleAssignments.GetAsync(r => r.QueryParameters.Filter = $"directoryScopeId eq '/{AppIds.PayrollApp}'"))!.Value!;

        Assert.Equal(409, duplicate.ResponseStatusCode);
        Assert.Contains(scoped, a => a.Id == created!.Id);
        Assert.Equal([Ids.Adele, Ids.Alex, Ids.Diego], scoped.Select(a => a.PrincipalId).Order());
    }

    [Fact]
    public async Task AuthorizationPolicy_PatchReplacesTheArray_KeepsOtherFields()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(AppIds.Scenario);
        var graph = GraphTestClient.Create(tenant);

        await graph.Policies.AuthorizationPolicy.PatchAsync(new AuthorizationPolicy
        {
            DefaultUserRolePermissions = new DefaultUserRolePermissions
            {
                PermissionGrantPoliciesAssigned = ["ManagePermissionGrantsForSelf.microsoft-user-default-low"],
            },
        });
        var invalid = await Assert.ThrowsAsync<ODataError>(() => graph.Policies.AuthorizationPolicy.PatchAsync(new AuthorizationPolicy
        {
            DefaultUserRolePermissions = new DefaultUserRolePermissions { PermissionGrantPoliciesAssigned = ["everything"] },
        }));

        var policy = await graph.Policies.AuthorizationPolicy.GetAsync();
        Assert.Equal(["ManagePermissionGrantsForSelf.microsoft-user-default-low"], policy!.DefaultUserRolePermissions!.PermissionGrantPoliciesAssigned);
        Assert.True(policy.DefaultUserRolePermissions.AllowedToCreateApps);
        Assert.Equal(400, invalid.ResponseStatusCode);
    }

    [Fact]
    public async Task AdminConsentRequestPolicy_SdkPatchIs404_PutReplaces()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(AppIds.Scenario);
        var graph = GraphTestClient.Create(tenant);
        AdminConsentRequestPolicy Enabled() => new()
        {
            IsEnabled = true, NotifyReviewers = true, RemindersEnabled = true, RequestDurationInDays = 30,
            Reviewers = [new AccessReviewReviewerScope { Query = $"/users/{Ids.Megan}", QueryType = "MicrosoftGraph" }],
        };

        var patch = await Assert.ThrowsAsync<ODataError>(() => graph.Policies.AdminConsentRequestPolicy.PatchAsync(Enabled()));
        var put = graph.Policies.AdminConsentRequestPolicy.ToPatchRequestInformation(Enabled());
        put.HttpMethod = Method.PUT;
        await graph.RequestAdapter.SendNoContentAsync(put);

        Assert.Equal(404, patch.ResponseStatusCode);
        var policy = await graph.Policies.AdminConsentRequestPolicy.GetAsync();
        Assert.True(policy!.IsEnabled);
        Assert.Equal($"/users/{Ids.Megan}", Assert.Single(policy.Reviewers!).Query);
        Assert.Equal(1, policy.Version);
    }

    [Fact]
    public async Task AdminConsentRequestPolicy_EnabledWithoutReviewers_Is400()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(AppIds.Scenario);
        using var http = GraphTestClient.CreateRaw(tenant);

        var response = await http.PutAsync("v1.0/policies/adminConsentRequestPolicy",
            new StringContent("""{"isEnabled":true,"notifyReviewers":true,"remindersEnabled":true,"requestDurationInDays":30,"reviewers":[]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(tenant.State.Read(m => m.AdminConsentRequestPolicy!["isEnabled"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task SignIns_FilterByAppId()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(AppIds.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var signIns = (await graph.AuditLogs.SignIns.GetAsync(r => r.QueryParameters.Filter = $"appId eq '{AppIds.DocViewerAppId}'"))!.Value!;

        Assert.Equal(3, signIns.Count);
        Assert.All(signIns, s => Assert.Equal("Doc Viewer Pro", s.AppDisplayName));
    }
}
