using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;
using ResponseFunctions.SimulatedTenant;

namespace ResponseFunctions.Playbook.Tests.Cases.CompromisedAppIdentity;

public sealed class RemoveApplicationDirectoryRolesTests
{
    [Fact]
    public async Task DirectoryRoles_Apply_RemovesApplicationAdministrator_KeepsDirectoryReaders()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.d", ContosoApps.Request(ContosoApps.PayrollAppId));
        var plan = await harness.Activities.PlanStepAsync(step, default);

        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);
        var verify = await harness.Activities.VerifyStepAsync(new StepWork(step, plan), default);

        Assert.Equal("ra-payroll-appadmin", Assert.Single(plan.Changes).ResourceId);
        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(VerifyOutcome.Verified, verify.Outcome);
        var held = harness.Tenant.State.Read(m => m.RoleAssignments.Where(a => a.PrincipalId == ContosoApps.PayrollSp).Select(a => a.Id).ToList());
        Assert.Equal(["ra-payroll-dirreaders"], held);
        Assert.Equal(PlanStatus.NothingToDo, (await harness.Action("2.d").PlanAsync(step, default)).Status);
    }

    [Fact]
    public async Task DirectoryRoles_EligibleGlobalAdministrator_RemovedByAdminRemove()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        harness.Tenant.State.Mutate(m => m.RoleEligibilitySchedules.Add(new SimRoleEligibilitySchedule
        {
            Id = "es-payroll-ga", PrincipalId = ContosoApps.PayrollSp, RoleDefinitionId = Contoso.GlobalAdministrator, DirectoryScopeId = "/",
        }));
        var step = await harness.StepAsync("2.d", ContosoApps.Request(ContosoApps.PayrollAppId));
        var plan = await harness.Action("2.d").PlanAsync(step, default);

        await harness.Action("2.d").ApplyAsync(step, plan, default);

        Assert.Contains(plan.Changes, c => c.Kind == "remove-role-eligibility" && c.ResourceId == "es-payroll-ga");
        Assert.DoesNotContain("es-payroll-ga", harness.Tenant.State.Read(m => m.RoleEligibilitySchedules.Select(s => s.Id).ToList()));
        Assert.Equal("adminRemove", harness.Tenant.State.Read(m => m.RoleEligibilityScheduleRequests.Single()).Action);
    }

    [Fact]
    public async Task DirectoryRoles_TimeBoundAssignment_RemovedThroughAdminRemoveAndAPlainOneByDelete()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        harness.Tenant.State.Mutate(m => m.RoleAssignments.Add(new SimRoleAssignment
        {
            Id = "ra-payroll-ga-timebound", PrincipalId = ContosoApps.PayrollSp, RoleDefinitionId = Contoso.GlobalAdministrator, DirectoryScopeId = "/",
            EndDateTime = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero),
        }));
        var step = await harness.StepAsync("2.d", ContosoApps.Request(ContosoApps.PayrollAppId));
        var plan = await harness.Action("2.d").PlanAsync(step, default);

        var result = await harness.Action("2.d").ApplyAsync(step, plan, default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(["ra-payroll-dirreaders"], harness.Tenant.State.Read(m => m.RoleAssignments.Where(a => a.PrincipalId == ContosoApps.PayrollSp).Select(a => a.Id).ToList()));
        Assert.Equal(["ra-payroll-ga-timebound"], harness.Tenant.State.Read(m => m.RoleAssignmentScheduleRequests.ToList()));
        Assert.Equal(1, harness.Tenant.Requests.Count("DELETE", "/roleManagement/directory/roleAssignments/ra-payroll-appadmin"));
    }

    [Fact]
    public async Task Contract_PlanApplyVerify_SecondApplySendsNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.d", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.AppliesOnceThenNothingAsync(harness, step);
    }

    [Fact]
    public async Task Contract_TargetProtected_RefusedAtPlanAndAgainAtApply()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.d", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.RefusedByTheGuardAtPlanAndApplyAsync(harness, step, ContosoApps.PayrollSp);
    }

    [Fact]
    public async Task Contract_PermanentFailure_KeptOnTheChangeWithItsError()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.d", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.PermanentFailureKeptOnTheChangeAsync(harness, step, "DELETE", "/roleManagement/directory/roleAssignments/");
    }

    [Fact]
    public async Task Contract_TransientFailure_RethrownForTheEngineRetry_ThenCompleted()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.d", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.TransientFailureRethrownThenRetriedAsync(harness, step, "DELETE", "/roleManagement/directory/roleAssignments/");
    }
}
