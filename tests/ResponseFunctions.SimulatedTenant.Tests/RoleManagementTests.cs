using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.SimulatedTenant.Tests.Infrastructure;

namespace ResponseFunctions.SimulatedTenant.Tests;

public sealed class RoleManagementTests
{
    [Fact]
    public async Task ListRoleAssignments_FilterPrincipalWithExpand_EmbedsRoleDefinitions()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var page = await graph.RoleManagement.Directory.RoleAssignments.GetAsync(r =>
        {
            r.QueryParameters.Filter = $"principalId eq '{Ids.Adele}'";
            r.QueryParameters.Expand = ["roleDefinition"];
        });

        var assignments = page!.Value!;
        Assert.Equal(new string?[] { "ra-adele-helpdesk", "ra-adele-pra" }, assignments.Select(a => a.Id).Order());
        var pra = assignments.Single(a => a.Id == "ra-adele-pra");
        Assert.Equal("Privileged Role Administrator", pra.RoleDefinition?.DisplayName);
        Assert.Equal(Ids.PrivilegedRoleAdmin, pra.RoleDefinition?.TemplateId);
        Assert.Equal("/", pra.DirectoryScopeId);
    }

    [Fact]
    public async Task ListRoleAssignments_FilterRoleDefinitionAndPrincipal_ReturnsIntersection()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var globalAdmins = await graph.RoleManagement.Directory.RoleAssignments.GetAsync(r =>
            r.QueryParameters.Filter = $"roleDefinitionId eq '{Ids.GlobalAdmin}'");
        var both = await graph.RoleManagement.Directory.RoleAssignments.GetAsync(r =>
            r.QueryParameters.Filter = $"roleDefinitionId eq '{Ids.GlobalAdmin}' and principalId eq '{Ids.Megan}'");

        Assert.Equal(3, globalAdmins!.Value!.Count);
        Assert.Equal("ra-megan-ga", Assert.Single(both!.Value!).Id);
        Assert.Null(both.Value![0].RoleDefinition);
    }

    [Fact]
    public async Task ListRoleAssignments_FilterPrincipalIn_EveryListedPrincipalsAssignments()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var page = await graph.RoleManagement.Directory.RoleAssignments.GetAsync(r =>
            r.QueryParameters.Filter = $"principalId in ('{Ids.Adele}', '{Ids.Megan}')");

        Assert.Equal(new string?[] { "ra-adele-helpdesk", "ra-adele-pra", "ra-megan-ga" }, page!.Value!.Select(a => a.Id).Order());
    }

    [Fact]
    public async Task ListRoleEligibilitySchedules_FilterPrincipalIn_RefusedAsGraphDocumentsOnlyEqAndNe()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.RoleManagement.Directory.RoleEligibilitySchedules.GetAsync(r =>
            r.QueryParameters.Filter = $"principalId in ('{Ids.Adele}')"));

        Assert.Equal(400, error.ResponseStatusCode);
    }

    [Fact]
    public async Task DeleteRoleAssignment_Existing_RemovesItAndUnknownIs404()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        await graph.RoleManagement.Directory.RoleAssignments["ra-adele-pra"].DeleteAsync();
        var error = await Assert.ThrowsAsync<ODataError>(() => graph.RoleManagement.Directory.RoleAssignments["ra-adele-pra"].DeleteAsync());

        Assert.Equal(404, error.ResponseStatusCode);
        Assert.DoesNotContain(tenant.State.Read(m => m.RoleAssignments.Select(a => a.Id).ToList()), id => id == "ra-adele-pra");
    }

    [Fact]
    public async Task GetRoleDefinition_ByTemplateId_ReturnsBuiltInMarkedPrivileged()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var definition = await graph.RoleManagement.Directory.RoleDefinitions[Ids.GlobalAdmin].GetAsync();

        Assert.Equal("Global Administrator", definition?.DisplayName);
        Assert.True(definition?.IsBuiltIn);
        Assert.Equal(true, definition?.AdditionalData["isPrivileged"]);
    }

    [Fact]
    public async Task ListEligibilitySchedules_FilterPrincipal_ReturnsAttackerEligibilityWithSchedule()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var page = await graph.RoleManagement.Directory.RoleEligibilitySchedules.GetAsync(r =>
        {
            r.QueryParameters.Filter = $"principalId eq '{Ids.Adele}'";
            r.QueryParameters.Expand = ["roleDefinition"];
        });

        var schedule = Assert.Single(page!.Value!);
        Assert.Equal("es-adele-ga", schedule.Id);
        Assert.Equal("Global Administrator", schedule.RoleDefinition?.DisplayName);
        Assert.Equal("Provisioned", schedule.Status);
        Assert.Equal("Direct", schedule.MemberType);
        Assert.Equal(ExpirationPatternType.NoExpiration, schedule.ScheduleInfo?.Expiration?.Type);
    }

    [Fact]
    public async Task AdminRemoveEligibility_Matching_RevokesAndSecondAttemptIs404()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);
        // A fresh model per call: the SDK's backing store only sends values changed since the last serialization,
        // so re-posting the same instance would send "{}".
        static UnifiedRoleEligibilityScheduleRequest Request() => new()
        {
            Action = UnifiedRoleScheduleRequestActions.AdminRemove,
            PrincipalId = Ids.Adele,
            RoleDefinitionId = Ids.GlobalAdmin,
            DirectoryScopeId = "/",
            Justification = "IR case 1: attacker-created eligibility",
        };

        var result = await graph.RoleManagement.Directory.RoleEligibilityScheduleRequests.PostAsync(Request());
        var again = await Assert.ThrowsAsync<ODataError>(() => graph.RoleManagement.Directory.RoleEligibilityScheduleRequests.PostAsync(Request()));

        Assert.Equal("Revoked", result?.Status);
        Assert.Equal(UnifiedRoleScheduleRequestActions.AdminRemove, result?.Action);
        Assert.Equal(404, again.ResponseStatusCode);
        Assert.DoesNotContain(tenant.State.Read(m => m.RoleEligibilitySchedules.Select(s => s.Id).ToList()), id => id == "es-adele-ga");
        Assert.Contains(tenant.State.Read(m => m.RoleEligibilitySchedules.Select(s => s.Id).ToList()), id => id == "es-megan-pra");
    }

    [Fact]
    public async Task EligibilityScheduleRequest_OtherAction_Throws400()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.RoleManagement.Directory.RoleEligibilityScheduleRequests.PostAsync(
            new UnifiedRoleEligibilityScheduleRequest
            {
                Action = UnifiedRoleScheduleRequestActions.SelfActivate, PrincipalId = Ids.Diego, RoleDefinitionId = Ids.GlobalAdmin, DirectoryScopeId = "/",
            }));

        Assert.Equal(400, error.ResponseStatusCode);
    }

    // Source: Graph rbacapplication-post-roleeligibilityschedulerequests ("Request to create an eligibility schedule": adminAssign,
    // scheduleInfo with expiration noExpiration, 201 Provisioned).
    [Fact]
    public async Task EligibilityScheduleRequest_AdminAssign_CreatesTheEligibility_WithoutScheduleInfoOrTwiceRefused()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        var graph = GraphTestClient.Create(tenant);
        UnifiedRoleEligibilityScheduleRequest Request(RequestSchedule? schedule) => new()
        {
            Action = UnifiedRoleScheduleRequestActions.AdminAssign, PrincipalId = Ids.Diego, RoleDefinitionId = Ids.GlobalAdmin, DirectoryScopeId = "/",
            Justification = "test", ScheduleInfo = schedule,
        };
        var schedule = new RequestSchedule { StartDateTime = DateTimeOffset.UtcNow, Expiration = new ExpirationPattern { Type = ExpirationPatternType.NoExpiration } };

        var noSchedule = await Assert.ThrowsAsync<ODataError>(() => graph.RoleManagement.Directory.RoleEligibilityScheduleRequests.PostAsync(Request(null)));
        var created = await graph.RoleManagement.Directory.RoleEligibilityScheduleRequests.PostAsync(Request(schedule));
        var twice = await Assert.ThrowsAsync<ODataError>(() => graph.RoleManagement.Directory.RoleEligibilityScheduleRequests.PostAsync(Request(schedule)));

        Assert.Equal(400, noSchedule.ResponseStatusCode);
        Assert.Equal(("Provisioned", UnifiedRoleScheduleRequestActions.AdminAssign), (created?.Status, created?.Action));
        Assert.Equal("RoleAssignmentExists", twice.Error?.Code);
        Assert.Single(tenant.State.Read(m => m.RoleEligibilitySchedules.Where(s => s.PrincipalId == Ids.Diego && s.RoleDefinitionId == Ids.GlobalAdmin).ToList()));
    }

    // Source: Graph rbacapplication-post-roleassignmentschedulerequests (adminRemove removes an active PIM assignment);
    // ../shared/reference/microsoft-apis.md §10b: a DELETE on roleAssignments is not how activated/time-bound ones go.
    [Fact]
    public async Task DeleteRoleAssignment_ActivatedThroughPim_IsRefusedAndAdminRemoveWorks()
    {
        await using var tenant = await SimulatedTenant.StartInProcessAsync(Ids.Scenario);
        tenant.State.Mutate(m => m.RoleAssignments.Single(a => a.Id == "ra-adele-pra").AssignmentType = "Activated");
        var graph = GraphTestClient.Create(tenant);

        var refused = await Assert.ThrowsAsync<ODataError>(() => graph.RoleManagement.Directory.RoleAssignments["ra-adele-pra"].DeleteAsync());
        var instances = await graph.RoleManagement.Directory.RoleAssignmentScheduleInstances.GetAsync(r => r.QueryParameters.Filter = $"principalId eq '{Ids.Adele}'");
        var removed = await graph.RoleManagement.Directory.RoleAssignmentScheduleRequests.PostAsync(new UnifiedRoleAssignmentScheduleRequest
        {
            Action = UnifiedRoleScheduleRequestActions.AdminRemove, PrincipalId = Ids.Adele, RoleDefinitionId = Ids.PrivilegedRoleAdmin, DirectoryScopeId = "/",
            Justification = "test",
        });

        Assert.Equal(400, refused.ResponseStatusCode);
        Assert.Equal("Activated", instances!.Value!.Single(i => i.Id == "ra-adele-pra").AssignmentType);
        Assert.Equal("Assigned", instances.Value!.Single(i => i.Id == "ra-adele-helpdesk").AssignmentType);
        Assert.Equal("Revoked", removed!.Status);
        Assert.DoesNotContain("ra-adele-pra", tenant.State.Read(m => m.RoleAssignments.Select(a => a.Id).ToList()));
    }
}
