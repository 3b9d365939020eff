using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;
using ResponseFunctions.SimulatedTenant;

namespace ResponseFunctions.Playbook.Tests.Cases.CompromisedAppIdentity;

public sealed class RestoreAppScopedRolesTests
{
    [Fact]
    public async Task ScopedRoles_Apply_RemovesTheAttackers_RestoresTheMissingBaselineHolder_KeepsTheLegitimate()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.e", ContosoApps.Request(ContosoApps.PayrollAppId));
        var plan = await harness.Activities.PlanStepAsync(step, default);

        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);
        var verify = await harness.Activities.VerifyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(["add-scoped-role", "remove-scoped-role"], plan.Changes.Select(c => c.Kind).Order());
        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(VerifyOutcome.Verified, verify.Outcome);
        var scoped = harness.Tenant.State.Read(m => m.RoleAssignments.Where(a => a.DirectoryScopeId == "/" + ContosoApps.PayrollApp)
            .Select(a => (a.PrincipalId, a.RoleDefinitionId)).OrderBy(a => a.PrincipalId).ToList());
        Assert.Equal([(Contoso.Alex, ContosoApps.CloudApplicationAdministrator), (Contoso.Diego, ContosoApps.CloudApplicationAdministrator)], scoped);
        Assert.Contains(harness.Tenant.Requests.Find("POST", "/roleManagement/directory/roleAssignments"), r => r.Body!.Contains(Contoso.Diego, StringComparison.Ordinal));
        Assert.Equal(PlanStatus.NothingToDo, (await harness.Action("2.e").PlanAsync(step, default)).Status);
    }

    [Fact]
    public async Task ScopedRoles_ThirdPartyApp_NothingToDo()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.e", ContosoApps.Request(ContosoApps.DocViewerAppId));

        var plan = await harness.Action("2.e").PlanAsync(step, default);

        Assert.Equal(PlanStatus.NothingToDo, plan.Status);
        Assert.Contains("another tenant", plan.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScopedRoles_HeldByABreakGlassAccount_LeftAsIsWithAWarning()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        harness.Tenant.State.Mutate(m => m.RoleAssignments.Add(new SimRoleAssignment
        {
            Id = "ra-bg01-payroll", PrincipalId = Contoso.BreakGlass1, RoleDefinitionId = ContosoApps.ApplicationAdministrator, DirectoryScopeId = "/" + ContosoApps.PayrollApp,
        }));
        var step = await harness.StepAsync("2.e", ContosoApps.Request(ContosoApps.PayrollAppId));

        var plan = await harness.Action("2.e").PlanAsync(step, default);
        await harness.Action("2.e").ApplyAsync(step, plan, default);

        Assert.DoesNotContain(plan.Changes, c => c.ResourceId == "ra-bg01-payroll");
        Assert.Contains(plan.Warnings, w => w.Contains("break-glass", StringComparison.Ordinal));
        Assert.Contains("ra-bg01-payroll", harness.Tenant.State.Read(m => m.RoleAssignments.Select(a => a.Id).ToList()));
    }
}
