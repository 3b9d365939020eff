using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;
using ResponseFunctions.SimulatedTenant;

namespace ResponseFunctions.Playbook.Tests.Cases.CompromisedAppIdentity;

public sealed class RestoreApplicationOwnersTests
{
    [Fact]
    public async Task Apply_AddsTheLegitimateOwnerBackFirst_RemovesTheAttackerOnlyByRef()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.f", ContosoApps.Request(ContosoApps.PayrollAppId));
        var plan = await harness.Activities.PlanStepAsync(step, default);

        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);
        var verify = await harness.Activities.VerifyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(VerifyOutcome.Verified, verify.Outcome);
        Assert.Equal([Contoso.Diego], harness.Tenant.State.Read(m => m.Applications.Single().Owners.ToList()));
        Assert.Empty(harness.Tenant.State.Read(m => m.ServicePrincipals.Single(s => s.Id == ContosoApps.PayrollSp).Owners));
        Assert.NotNull(harness.Tenant.State.Read(m => m.FindUser(Contoso.Adele)));
        Assert.Equal(
            [
                ("POST", $"/v1.0/applications/{ContosoApps.PayrollApp}/owners/$ref"),
                ("DELETE", $"/v1.0/applications/{ContosoApps.PayrollApp}/owners/{Contoso.Adele}/$ref"),
                ("DELETE", $"/v1.0/servicePrincipals/{ContosoApps.PayrollSp}/owners/{Contoso.Adele}/$ref"),
            ],
            harness.Writes().Select(w => (w.Method, w.PathAndQuery)));
    }

    [Fact]
    public async Task Apply_NamesTheRestoredOwnerToNotify_InTheJournal()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.f", ContosoApps.Request(ContosoApps.PayrollAppId));
        var plan = await harness.Activities.PlanStepAsync(step, default);

        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        var notice = Assert.Single(result.Warnings);
        Assert.StartsWith("Notify diego.siciliani@contoso.onmicrosoft.com", notice, StringComparison.Ordinal);
        Assert.Contains(harness.Journal.Entries, e => e.Action == "2.f" && e.Outcome == "apply:applied" && e.Detail.Contains(notice, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApplyTwice_SecondSendsNothing_AndThePlanIsNothingToDo()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.f", ContosoApps.Request(ContosoApps.PayrollAppId));
        var plan = await harness.Action("2.f").PlanAsync(step, default);
        await harness.Action("2.f").ApplyAsync(step, plan, default);
        harness.Tenant.Requests.Clear();

        var again = await harness.Action("2.f").ApplyAsync(step, plan, default);
        var replan = await harness.Action("2.f").PlanAsync(step, default);

        Assert.Equal(ApplyOutcome.AlreadyInPlace, again.Outcome);
        Assert.Empty(again.Warnings);
        Assert.Equal(PlanStatus.NothingToDo, replan.Status);
        Assert.Empty(harness.Writes());
    }

    [Fact]
    public async Task Contract_PlanApplyVerify_SecondApplySendsNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.f", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.AppliesOnceThenNothingAsync(harness, step);
    }

    [Fact]
    public async Task Contract_TargetProtected_RefusedAtPlanAndAgainAtApply()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.f", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.RefusedByTheGuardAtPlanAndApplyAsync(harness, step, ContosoApps.PayrollSp);
    }

    [Fact]
    public async Task Contract_PermanentFailure_KeptOnTheChangeWithItsError()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.f", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.PermanentFailureKeptOnTheChangeAsync(harness, step, "DELETE", "/owners/");
    }

    [Fact]
    public async Task Contract_TransientFailure_RethrownForTheEngineRetry_ThenCompleted()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.f", ContosoApps.Request(ContosoApps.PayrollAppId));

        await ActionContract.TransientFailureRethrownThenRetriedAsync(harness, step, "POST", "/owners/$ref");
    }

    [Fact]
    public async Task Apply_OwnerGoneWhenAddedBack_404IsAFailure_NoOneToNotify()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.f", ContosoApps.Request(ContosoApps.PayrollAppId));
        var plan = await harness.Action("2.f").PlanAsync(step, default);
        harness.Tenant.Faults.Add(new FaultRule("POST", "/owners/$ref", StatusCode: 404, Times: 1000));

        var result = await harness.Action("2.f").ApplyAsync(step, plan, default);

        var add = Assert.Single(result.Changes, c => c.Change is AddOwner);
        Assert.Equal((ChangeOutcome.Failed, ErrorKind.NotFound), (add.Outcome, add.Error!.Kind));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task Plan_ChangesAreTyped_AddsBeforeRemoves_WithTheObjectTheyChange()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var step = await harness.StepAsync("2.f", ContosoApps.Request(ContosoApps.PayrollAppId));

        var plan = await harness.Action("2.f").PlanAsync(step, default);

        Assert.Equal(
            [("add-owner", AppObjectKind.Application, ContosoApps.PayrollApp), ("remove-owner", AppObjectKind.Application, ContosoApps.PayrollApp), ("remove-owner", AppObjectKind.ServicePrincipal, ContosoApps.PayrollSp)],
            plan.Changes.Cast<OwnerChange>().Select(c => (c.Kind, c.Object, c.ObjectId)));
    }
}
