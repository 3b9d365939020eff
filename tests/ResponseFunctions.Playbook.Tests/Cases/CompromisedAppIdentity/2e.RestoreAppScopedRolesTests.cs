using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Policy;
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

    [Fact]
    public async Task Contract_PlanApplyVerify_SecondApplySendsNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.e", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.AppliesOnceThenNothingAsync(harness, step);
    }

    [Fact]
    public async Task Contract_TargetProtected_RefusedAtPlanAndAgainAtApply()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.e", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.RefusedByTheGuardAtPlanAndApplyAsync(harness, step, ContosoApps.PayrollSp);
    }

    [Fact]
    public async Task Contract_PermanentFailure_KeptOnTheChangeWithItsError()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.e", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.PermanentFailureKeptOnTheChangeAsync(harness, step, "DELETE", "/roleManagement/directory/roleAssignments/");
    }

    [Fact]
    public async Task Contract_TransientFailure_RethrownForTheEngineRetry_ThenCompleted()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.e", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.TransientFailureRethrownThenRetriedAsync(harness, step, "POST", "/roleManagement/directory/roleAssignments");
    }

    [Fact]
    public async Task Apply_HolderProtectedSinceThePlan_ThatChangeRefused_TheOtherMade()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.e", ContosoApps.Request(ContosoApps.PayrollAppId));
        var plan = await harness.Action("2.e").PlanAsync(step, default);
        harness.Services.GetRequiredService<IOptions<ContainmentPolicy>>().Value.ProtectedPrincipals.Add(Contoso.Diego);

        var result = await harness.Action("2.e").ApplyAsync(step, plan, default);

        Assert.Equal(ApplyOutcome.PartiallyApplied, result.Outcome);
        var refused = Assert.Single(result.Changes, c => c.Change is AddScopedRole);
        Assert.Equal((ChangeOutcome.Refused, "tenant-guard"), (refused.Outcome, refused.Error!.Code));
        Assert.Equal(ChangeOutcome.Done, Assert.Single(result.Changes, c => c.Change is RemoveScopedRole).Outcome);
        Assert.Equal(0, harness.Tenant.Requests.Count("POST", "/roleManagement/directory/roleAssignments"));
    }

    [Fact]
    public async Task Apply_HolderGoneWhenAssignedAgain_404IsAFailureNotAlreadyDone()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.e", ContosoApps.Request(ContosoApps.PayrollAppId));
        var plan = await harness.Action("2.e").PlanAsync(step, default);
        harness.Tenant.Faults.Add(new FaultRule("POST", "/roleManagement/directory/roleAssignments", StatusCode: 404, Times: 1000));

        var result = await harness.Action("2.e").ApplyAsync(step, plan, default);

        var add = Assert.Single(result.Changes, c => c.Change is AddScopedRole);
        Assert.Equal((ChangeOutcome.Failed, ErrorKind.NotFound), (add.Outcome, add.Error!.Kind));
        Assert.Equal(ApplyOutcome.PartiallyApplied, result.Outcome);
    }
}
