using ResponseFunctions.Playbook.Cases;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.CompromisedAccount;

public sealed class RevokeIllegitimateRolesTests
{
    [Fact]
    public async Task Plan_ShowsEachGrantAgainstTheBaseline()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.f");

        var plan = await harness.Action("1.f").PlanAsync(step, default);

        Assert.Equal(["remove-group-membership", "remove-role-assignment", "remove-role-eligibility"], plan.Changes.Select(c => c.Kind).Order());
        Assert.Contains(plan.Evidence, e => e.Label.Contains("Helpdesk Administrator", StringComparison.Ordinal) && e.Value.Contains("kept", StringComparison.Ordinal));
        Assert.Contains(plan.Evidence, e => e.Label.Contains("Privileged Role Administrator", StringComparison.Ordinal) && e.Value.Contains("NOT in the baseline", StringComparison.Ordinal));
        Assert.Empty(harness.Writes());
    }

    [Fact]
    public async Task Apply_RemovesActiveEligibleAndGroupGrants_KeepsTheLegitimateRole()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.f");
        var plan = await harness.Activities.PlanStepAsync(step, default);

        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);
        var verify = await harness.Activities.VerifyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(VerifyOutcome.Verified, verify.Outcome);
        var assignments = harness.Tenant.State.Read(m => m.RoleAssignments.Select(a => a.Id).ToList());
        Assert.DoesNotContain("ra-adele-pra", assignments);
        Assert.Contains("ra-adele-helpdesk", assignments);
        Assert.Contains("ra-secops-secadmin", assignments);
        var eligibilities = harness.Tenant.State.Read(m => m.RoleEligibilitySchedules.Select(s => s.Id).ToList());
        Assert.DoesNotContain("es-adele-ga", eligibilities);
        Assert.Contains("es-megan-pra", eligibilities);
        var secops = harness.Tenant.State.Read(m => m.FindGroup(Contoso.SecOpsGroup)!.Members.ToList());
        Assert.Equal([Contoso.Alex], secops);
        Assert.Equal(1, harness.Tenant.Requests.Count("DELETE", $"/groups/{Contoso.SecOpsGroup}/members/{Contoso.Adele}/$ref"));
    }

    [Fact]
    public async Task Plan_GlobalAdministratorNotInBaselineButLastTrusted_KeepsIt()
    {
        await using var harness = await PlaybookHarness.StartAsync(configure: p => p.RoleBaseline.RemoveAll(e => e.RoleDefinitionId == Contoso.GlobalAdministrator));
        harness.Tenant.State.Mutate(m => m.FindUser(Contoso.BreakGlass2)!.AccountEnabled = false);
        var step = await harness.StepAsync("1.f", PlaybookHarness.Request(users: [Contoso.Megan]));

        var plan = await harness.Action("1.f").PlanAsync(step, default);

        Assert.DoesNotContain(plan.Changes, c => c is RemoveRoleAssignment { RoleDefinitionId: Contoso.GlobalAdministrator });
        Assert.Contains(plan.Warnings, w => w.Contains("Global Administrator", StringComparison.Ordinal) && w.Contains("at least 2", StringComparison.Ordinal));
    }

    // Source: active PIM assignments (activated or time-bound) are removed with roleAssignmentScheduleRequests adminRemove;
    // the service refuses DELETE on roleAssignments for them (Graph rbacapplication-post-roleassignmentschedulerequests).
    [Fact]
    public async Task Apply_ActivatedPimAssignment_RemovedThroughAdminRemoveNotDelete()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        harness.Tenant.State.Mutate(m => m.RoleAssignments.Single(a => a.Id == "ra-adele-pra").AssignmentType = "Activated");
        var step = await harness.StepAsync("1.f");
        var plan = await harness.Activities.PlanStepAsync(step, default);

        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);
        var verify = await harness.Activities.VerifyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(VerifyOutcome.Verified, verify.Outcome);
        Assert.DoesNotContain("ra-adele-pra", harness.Tenant.State.Read(m => m.RoleAssignments.Select(a => a.Id).ToList()));
        Assert.Equal(["ra-adele-pra"], harness.Tenant.State.Read(m => m.RoleAssignmentScheduleRequests.ToList()));
        Assert.Equal(0, harness.Tenant.Requests.Count("DELETE", "/roleManagement/directory/roleAssignments/"));
    }

    [Fact]
    public async Task Contract_PlanApplyVerify_SecondApplySendsNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.f");

        await ActionContract.AppliesOnceThenNothingAsync(harness, step);
    }

    [Fact]
    public async Task Contract_TargetProtected_RefusedAtPlanAndAgainAtApply()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.f");

        await ActionContract.RefusedByTheGuardAtPlanAndApplyAsync(harness, step, Contoso.Adele);
    }

    [Fact]
    public async Task Contract_PermanentFailure_KeptOnTheChangeWithItsError()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.f");

        await ActionContract.PermanentFailureKeptOnTheChangeAsync(harness, step, "DELETE", "/roleManagement/directory/roleAssignments/");
    }

    [Fact]
    public async Task Contract_TransientFailure_RethrownForTheEngineRetry_ThenCompleted()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.f");

        await ActionContract.TransientFailureRethrownThenRetriedAsync(harness, step, "DELETE", "/roleManagement/directory/roleAssignments/");
    }
}
