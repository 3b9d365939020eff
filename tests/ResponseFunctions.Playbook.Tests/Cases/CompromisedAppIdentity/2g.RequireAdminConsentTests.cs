using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.CompromisedAppIdentity.Consent;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.CompromisedAppIdentity;

public sealed class RequireAdminConsentTests
{
    [Fact]
    public async Task Apply_ReplacesOnlyTheSelfConsentEntry_EnablesTheWorkflowWithPut()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.g", ContosoApps.Request(ContosoApps.PayrollAppId));
        var plan = await harness.Activities.PlanStepAsync(step, default);

        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);
        var verify = await harness.Activities.VerifyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(VerifyOutcome.Verified, verify.Outcome);
        var assigned = harness.Tenant.State.Read(m => m.AuthorizationPolicy!["defaultUserRolePermissions"]!["permissionGrantPoliciesAssigned"]!.AsArray().Select(n => n!.GetValue<string>()).ToList());
        Assert.Equal(
            [
                "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team",
                "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-chat",
                "ManagePermissionGrantsForSelf.microsoft-user-default-low",
            ],
            assigned);
        var workflow = harness.Tenant.State.Read(m => m.AdminConsentRequestPolicy!.DeepClone().AsObject());
        Assert.True(workflow["isEnabled"]!.GetValue<bool>());
        Assert.Equal($"/users/{Contoso.Megan}", workflow["reviewers"]![0]!["query"]!.GetValue<string>());
        Assert.Equal(30, workflow["requestDurationInDays"]!.GetValue<int>());
        Assert.Equal([("PATCH", "/v1.0/policies/authorizationPolicy"), ("PUT", "/v1.0/policies/adminConsentRequestPolicy")],
            harness.Writes().Select(w => (w.Method, w.PathAndQuery)));
    }

    [Fact]
    public async Task Plan_NoReviewersConfigured_Fails_NothingSent()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, p => { ContosoApps.Configure(p); p.Consent.Reviewers = []; });
        var step = await harness.StepAsync("2.g", ContosoApps.Request(ContosoApps.PayrollAppId));

        var plan = await harness.Action("2.g").PlanAsync(step, default);

        Assert.Equal(PlanStatus.Failed, plan.Status);
        Assert.Contains("Consent.Reviewers", plan.Summary, StringComparison.Ordinal);
        Assert.Empty(harness.Writes());
    }

    [Fact]
    public async Task ApplyTwice_SecondSendsNothing_AndThePlanIsNothingToDo()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.g", ContosoApps.Request(ContosoApps.PayrollAppId));
        var plan = await harness.Action("2.g").PlanAsync(step, default);
        await harness.Action("2.g").ApplyAsync(step, plan, default);
        harness.Tenant.Requests.Clear();

        var again = await harness.Action("2.g").ApplyAsync(step, plan, default);
        var replan = await harness.Action("2.g").PlanAsync(step, default);

        Assert.Equal(ApplyOutcome.AlreadyInPlace, again.Outcome);
        Assert.Equal(PlanStatus.NothingToDo, replan.Status);
        Assert.Empty(harness.Writes());
    }

    [Fact]
    public async Task Contract_PlanApplyVerify_SecondApplySendsNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.g", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.AppliesOnceThenNothingAsync(harness, step);
    }

    [Fact]
    public async Task Contract_PermanentFailure_KeptOnTheChangeWithItsError()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.g", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.PermanentFailureKeptOnTheChangeAsync(harness, step, "PATCH", "/policies/authorizationPolicy");
    }

    [Fact]
    public async Task Contract_TransientFailure_RethrownForTheEngineRetry_ThenCompleted()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.g", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.TransientFailureRethrownThenRetriedAsync(harness, step, "PUT", "/policies/adminConsentRequestPolicy");
    }

    [Fact]
    public async Task Apply_ChangesCarryWhatWasApproved_KindsReleaseReads()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.g", ContosoApps.Request(ContosoApps.PayrollAppId));
        var plan = await harness.Action("2.g").PlanAsync(step, default);

        var result = await harness.Action("2.g").ApplyAsync(step, plan, default);

        Assert.Equal(["restrict-user-consent", "enable-admin-consent-workflow"], result.Changes.Select(c => c.Change.Kind));
        Assert.Equal("ManagePermissionGrantsForSelf.microsoft-user-default-low", Assert.IsType<RestrictUserConsent>(plan.Changes[0]).SelfConsentPolicy);
        Assert.Equal([Contoso.Megan], Assert.IsType<EnableAdminConsentRequests>(plan.Changes[1]).Reviewers);
        Assert.Contains("ManagePermissionGrantsForSelf.microsoft-user-default-legacy",
            result.Before!.Value.GetProperty("permissionGrantPoliciesAssigned").EnumerateArray().Select(e => e.GetString()));
        Assert.True(result.After!.Value.GetProperty("adminConsentRequestPolicy").GetProperty("isEnabled").GetBoolean());
    }
}
