using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.CompromisedAppIdentity;

public sealed class DisableServicePrincipalTests
{
    [Fact]
    public async Task Plan_ShowsTheBusinessImpact_AndWritesNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.a", ContosoApps.Request(ContosoApps.DocViewerAppId));

        var plan = await harness.Action("2.a").PlanAsync(step, default);

        Assert.Equal(PlanStatus.ChangeRequired, plan.Status);
        Assert.Equal(ContosoApps.DocViewerSp, Assert.Single(plan.Changes).ResourceId);
        Assert.Contains(plan.Evidence, e => e.Label == "Assigned users and groups" && e.Value.StartsWith("2 user(s), 0 group(s)", StringComparison.Ordinal));
        Assert.Contains(plan.Evidence, e => e.Label == "Delegated consents" && e.Value == "1 for all users, 1 by individual users");
        Assert.Contains(plan.Evidence, e => e.Label.StartsWith("Interactive user sign-ins", StringComparison.Ordinal) && e.Value.StartsWith("3 by 3 user(s)", StringComparison.Ordinal));
        Assert.Contains(plan.Warnings, w => w.Contains("2.b–2.f", StringComparison.Ordinal));
        Assert.Empty(harness.Writes());
    }

    // Source: Graph v1.0 "List signIns" (interactive user sign-ins only) and the directoryAudit resource ($filter on
    // initiatedBy/app/appId and targetResources/any): the app's own activity is in the audit log, not in signIns.
    [Fact]
    public async Task Plan_CompromisedApp_SaysWhatSignInsCoverAndShowsTheAppsOwnAuditActivity()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.a", ContosoApps.Request(ContosoApps.PayrollAppId));

        var plan = await harness.Action("2.a").PlanAsync(step, default);

        Assert.Contains(plan.Evidence, e => e.Label.Contains("client-credential sign-ins are not in v1.0", StringComparison.Ordinal));
        var byApp = Assert.Single(plan.Evidence, e => e.Label.StartsWith("Directory changes made by the app itself", StringComparison.Ordinal));
        Assert.StartsWith("2, last 2026-11-20 03:07:00Z", byApp.Value, StringComparison.Ordinal);
        Assert.Contains("Add member to role", byApp.Value, StringComparison.Ordinal);
        var onApp = Assert.Single(plan.Evidence, e => e.Label.StartsWith("Changes made to the service principal", StringComparison.Ordinal));
        Assert.Contains("Add service principal credentials", onApp.Value, StringComparison.Ordinal);
        Assert.Equal(1, harness.Tenant.Requests.Count("GET", "directoryAudits?$filter=initiatedBy/app/appId eq 'b7e4c2a1-5d3f-4a6b-8c9d-1e2f3a4b5c6d'"));
    }

    [Fact]
    public async Task Apply_DisablesTheServicePrincipal_ThenNothingToDo()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.a", ContosoApps.Request(ContosoApps.PayrollAppId));
        var plan = await harness.Activities.PlanStepAsync(step, default);

        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);
        var verify = await harness.Activities.VerifyStepAsync(new StepWork(step, plan), default);
        harness.Tenant.Requests.Clear();
        var again = await harness.Action("2.a").ApplyAsync(step, plan, default);
        var replan = await harness.Action("2.a").PlanAsync(step, default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(VerifyOutcome.Verified, verify.Outcome);
        Assert.False(harness.Tenant.State.Read(m => m.ServicePrincipals.Single(s => s.Id == ContosoApps.PayrollSp).AccountEnabled));
        Assert.True(result.Before!.Value.GetProperty("accountEnabled").GetBoolean());
        Assert.Equal(ApplyOutcome.AlreadyInPlace, again.Outcome);
        Assert.Equal(PlanStatus.NothingToDo, replan.Status);
        Assert.Empty(harness.Writes());
    }

    [Fact]
    public async Task Plan_ThePlaybooksOwnServicePrincipal_Refused_NothingSent()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.a", ContosoApps.Request(Contoso.PlaybookIdentity));

        var plan = await harness.Action("2.a").PlanAsync(step, default);
        var apply = await harness.Action("2.a").ApplyAsync(step, plan with { Changes = [new DisableServicePrincipalChange(Contoso.PlaybookIdentity, "forced")] }, default);

        Assert.Equal(PlanStatus.Refused, plan.Status);
        Assert.Contains("identity the playbook runs as", plan.Summary, StringComparison.Ordinal);
        Assert.Equal(ApplyOutcome.Refused, apply.Outcome);
        Assert.True(harness.Tenant.State.Read(m => m.ServicePrincipals.Single(s => s.Id == Contoso.PlaybookIdentity).AccountEnabled));
        Assert.Empty(harness.Writes());
    }

    [Fact]
    public async Task Plan_SignInLogsNotReadable_WarnsAndStillPlans()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        harness.Tenant.Faults.Add(new ResponseFunctions.SimulatedTenant.FaultRule("GET", "/auditLogs/signIns", 403));
        var step = await harness.StepAsync("2.a", ContosoApps.Request(ContosoApps.DocViewerAppId));

        var plan = await harness.Action("2.a").PlanAsync(step, default);

        Assert.Equal(PlanStatus.ChangeRequired, plan.Status);
        Assert.Contains(plan.Warnings, w => w.Contains("AuditLog.Read.All", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Contract_PlanApplyVerify_SecondApplySendsNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.a", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.AppliesOnceThenNothingAsync(harness, step);
    }

    [Fact]
    public async Task Contract_TargetProtected_RefusedAtPlanAndAgainAtApply()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.a", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.RefusedByTheGuardAtPlanAndApplyAsync(harness, step, ContosoApps.PayrollSp);
    }

    [Fact]
    public async Task Contract_PermanentFailure_KeptOnTheChangeWithItsError()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.a", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.PermanentFailureKeptOnTheChangeAsync(harness, step, "PATCH", $"/servicePrincipals/{ContosoApps.PayrollSp}");
    }

    [Fact]
    public async Task Contract_TransientFailure_RethrownForTheEngineRetry_ThenCompleted()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.a", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.TransientFailureRethrownThenRetriedAsync(harness, step, "PATCH", $"/servicePrincipals/{ContosoApps.PayrollSp}");
    }

    [Fact]
    public async Task Apply_JournalsTheStateReleaseReads_IdAndAccountEnabledBeforeAndAfter()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.a", ContosoApps.Request(ContosoApps.PayrollAppId));
        var plan = await harness.Action("2.a").PlanAsync(step, default);

        var result = await harness.Action("2.a").ApplyAsync(step, plan, default);

        Assert.Equal("disable-service-principal", Assert.IsType<DisableServicePrincipalChange>(Assert.Single(result.Changes).Change).Kind);
        Assert.Equal(ContosoApps.PayrollSp, result.Before!.Value.GetProperty("id").GetString());
        Assert.True(result.Before.Value.GetProperty("accountEnabled").GetBoolean());
        Assert.False(result.After!.Value.GetProperty("accountEnabled").GetBoolean());
        Assert.Contains(result.Warnings, w => w.Contains("Access tokens already issued", StringComparison.Ordinal));
    }
}
