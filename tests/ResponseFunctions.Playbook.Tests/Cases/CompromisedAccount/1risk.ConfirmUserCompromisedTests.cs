using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.CompromisedAccount;

public sealed class ConfirmUserCompromisedTests
{
    [Fact]
    public async Task Apply_Licensed_ConfirmsCompromised()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.risk");
        var plan = await harness.Activities.PlanStepAsync(step, default);

        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal("confirmedCompromised", harness.Tenant.State.Read(m => m.RiskyUsers.Single(r => r.Id == Contoso.Adele).RiskState));
    }

    [Fact]
    public async Task Plan_Unlicensed_ReportsForbiddenWithoutFailingTheActivity()
    {
        await using var harness = await PlaybookHarness.StartAsync("compromised-account-unlicensed");
        var step = await harness.StepAsync("1.risk");

        var plan = await harness.Activities.PlanStepAsync(step, default);

        Assert.Equal(PlanStatus.Failed, plan.Status);
        Assert.Equal(ErrorKind.Forbidden, plan.Error?.Kind);
        Assert.Contains("not marked compromised", plan.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contract_PlanApplyVerify_SecondApplySendsNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.risk");

        await ActionContract.AppliesOnceThenNothingAsync(harness, step);
    }

    [Fact]
    public async Task Contract_TargetProtected_RefusedAtPlanAndAgainAtApply()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.risk");

        await ActionContract.RefusedByTheGuardAtPlanAndApplyAsync(harness, step, Contoso.Adele);
    }

    [Fact]
    public async Task Contract_PermanentFailure_KeptOnTheChangeWithItsError()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.risk");

        await ActionContract.PermanentFailureKeptOnTheChangeAsync(harness, step, "POST", "confirmCompromised");
    }

    [Fact]
    public async Task Contract_TransientFailure_RethrownForTheEngineRetry_ThenCompleted()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.risk");

        await ActionContract.TransientFailureRethrownThenRetriedAsync(harness, step, "POST", "confirmCompromised");
    }
}
