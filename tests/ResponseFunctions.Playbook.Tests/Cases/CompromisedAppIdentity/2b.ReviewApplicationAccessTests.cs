using System.Text.Json;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.CompromisedAppIdentity.Access;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.CompromisedAppIdentity;

public sealed class ReviewApplicationAccessTests
{
    [Fact]
    public async Task Plan_ListsEachGrantWithItsScopesAndPermissionNames_AgainstTheBaseline()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.b", ContosoApps.Request(ContosoApps.PayrollAppId));

        var plan = await harness.Action("2.b").PlanAsync(step, default);

        var change = Assert.Single(plan.Changes);
        Assert.Equal(("remove-application-permission", "ara-payroll-mailread"), (change.Kind, change.ResourceId));
        Assert.Contains(plan.Evidence, e => e.Label == "Application permission Mail.Read on Microsoft Graph" && e.Value.Contains("NOT in the baseline", StringComparison.Ordinal));
        Assert.Contains(plan.Evidence, e => e.Label == "Application permission User.Read.All on Microsoft Graph" && e.Value.Contains("kept", StringComparison.Ordinal));
        Assert.Contains(plan.Evidence, e => e.Label.StartsWith("Delegated consent to Microsoft Graph for all users", StringComparison.Ordinal) && e.Value.StartsWith("scopes User.Read;", StringComparison.Ordinal));
        Assert.Contains(plan.Evidence, e => e.Label == "Assigned Group All Staff" && e.Value.Contains("role Payroll.Read", StringComparison.Ordinal));
        Assert.Empty(harness.Writes());
    }

    [Fact]
    public async Task Apply_MaliciousAppWithoutBaseline_RemovesEveryAssignmentAndConsent_RequiresAssignment()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.b", ContosoApps.Request(ContosoApps.DocViewerAppId));
        var plan = await harness.Activities.PlanStepAsync(step, default);

        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);
        var verify = await harness.Activities.VerifyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(VerifyOutcome.Verified, verify.Outcome);
        Assert.Contains(plan.Evidence, e => e.Value.StartsWith("scopes Mail.Read Files.Read.All offline_access", StringComparison.Ordinal));
        Assert.DoesNotContain(harness.Tenant.State.Read(m => m.AppRoleAssignments.ToList()), a => a.ResourceId == ContosoApps.DocViewerSp);
        Assert.DoesNotContain(harness.Tenant.State.Read(m => m.OAuth2PermissionGrants.ToList()), g => g.ClientId == ContosoApps.DocViewerSp);
        Assert.True(harness.Tenant.State.Read(m => m.ServicePrincipals.Single(s => s.Id == ContosoApps.DocViewerSp).AppRoleAssignmentRequired));
        Assert.Equal(1, harness.Tenant.Requests.Count("DELETE", "/oauth2PermissionGrants/dv-grant-allprincipals"));
        Assert.Equal(1, harness.Tenant.Requests.Count("DELETE", $"/servicePrincipals/{ContosoApps.DocViewerSp}/appRoleAssignedTo/ara-docviewer-alex"));
    }

    [Fact]
    public async Task Apply_LineOfBusinessApp_KeepsTheBaselineAssignmentConsentAndPermission()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.b", ContosoApps.Request(ContosoApps.PayrollAppId));
        var plan = await harness.Action("2.b").PlanAsync(step, default);

        await harness.Action("2.b").ApplyAsync(step, plan, default);

        Assert.Equal(["ara-docviewer-alex", "ara-docviewer-diego", "ara-payroll-allstaff", "ara-payroll-userreadall"],
            harness.Tenant.State.Read(m => m.AppRoleAssignments.Select(a => a.Id).Order().ToList()));
        Assert.Contains("payroll-grant-userread", harness.Tenant.State.Read(m => m.OAuth2PermissionGrants.Select(g => g.Id).ToList()));
        Assert.Equal(["DELETE"], harness.Writes().Select(w => w.Method));
    }

    [Fact]
    public async Task ApplyTwice_SecondChangesNothing_AndThePlanIsNothingToDo()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.b", ContosoApps.Request(ContosoApps.DocViewerAppId));
        var plan = await harness.Action("2.b").PlanAsync(step, default);
        await harness.Action("2.b").ApplyAsync(step, plan, default);
        harness.Tenant.Requests.Clear();

        var again = await harness.Action("2.b").ApplyAsync(step, plan, default);
        var replan = await harness.Action("2.b").PlanAsync(step, default);

        Assert.Equal(ApplyOutcome.AlreadyInPlace, again.Outcome);
        Assert.All(again.Changes, c => Assert.Equal(ChangeOutcome.AlreadyDone, c.Outcome));
        Assert.Equal(PlanStatus.NothingToDo, replan.Status);
        Assert.Empty(harness.Writes());
    }

    [Fact]
    public async Task Contract_PlanApplyVerify_SecondApplySendsNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.b", ContosoApps.Request(ContosoApps.DocViewerAppId));

        await ActionContract.AppliesOnceThenNothingAsync(harness, step);
    }

    [Fact]
    public async Task Contract_TargetProtected_RefusedAtPlanAndAgainAtApply()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.b", ContosoApps.Request(ContosoApps.DocViewerAppId));

        await ActionContract.RefusedByTheGuardAtPlanAndApplyAsync(harness, step, ContosoApps.DocViewerSp);
    }

    [Fact]
    public async Task Contract_PermanentFailure_KeptOnTheChangeWithItsError()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.b", ContosoApps.Request(ContosoApps.DocViewerAppId));

        await ActionContract.PermanentFailureKeptOnTheChangeAsync(harness, step, "DELETE", "/oauth2PermissionGrants/");
    }

    [Fact]
    public async Task Contract_TransientFailure_RethrownForTheEngineRetry_ThenCompleted()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.b", ContosoApps.Request(ContosoApps.DocViewerAppId));

        await ActionContract.TransientFailureRethrownThenRetriedAsync(harness, step, "DELETE", "/oauth2PermissionGrants/");
    }

    [Fact]
    public async Task Plan_EachKindOfAccessIsItsOwnTypedChange_RoundTripsThroughJson()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.b", ContosoApps.Request(ContosoApps.DocViewerAppId));
        var plan = await harness.Action("2.b").PlanAsync(step, default);

        var json = JsonSerializer.Serialize(plan.Changes, JournalJson.Options);
        var back = JsonSerializer.Deserialize<List<PlannedChange>>(json, JournalJson.Options)!;

        Assert.Equal(
            [typeof(RemoveAssignment), typeof(RemoveAssignment), typeof(RemoveDelegatedGrant), typeof(RemoveDelegatedGrant), typeof(RequireAssignment)],
            back.Select(c => c.GetType()));
        Assert.Equal(plan.Changes, back);
        Assert.Equal(ContosoApps.DocViewerSp, Assert.IsType<RemoveAssignment>(back[0]).ServicePrincipalId);
        Assert.Contains("\"kind\":\"remove-delegated-grant\"", json, StringComparison.Ordinal);
    }
}
