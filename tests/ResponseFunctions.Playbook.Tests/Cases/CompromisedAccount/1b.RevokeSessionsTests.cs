using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.CompromisedAccount;

public sealed class RevokeSessionsTests
{
    [Fact]
    public async Task RevokeSessions_MovesSessionsValidFrom_AndStatesTheTokenCaveat()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.b");

        var plan = await harness.Activities.PlanStepAsync(step, default);
        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);
        var verify = await harness.Activities.VerifyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(VerifyOutcome.Verified, verify.Outcome);
        Assert.Equal(1, harness.Tenant.Requests.Count("POST", "/revokeSignInSessions"));
        Assert.True(step.Scope.IsSinceOpened(harness.Tenant.State.Read(m => m.FindUser(Contoso.Adele)!.SignInSessionsValidFromDateTime)));
        Assert.Contains(result.Warnings, w => w.Contains("Access tokens issued before the revocation stay valid", StringComparison.Ordinal));
        Assert.Equal(PlanStatus.NothingToDo, (await harness.Action("1.b").PlanAsync(step, default)).Status);
    }

    [Fact]
    public async Task Contract_PlanApplyVerify_SecondApplySendsNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.b");

        await ActionContract.AppliesOnceThenNothingAsync(harness, step);
    }

    [Fact]
    public async Task Contract_TargetProtected_RefusedAtPlanAndAgainAtApply()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.b");

        await ActionContract.RefusedByTheGuardAtPlanAndApplyAsync(harness, step, Contoso.Adele);
    }

    [Fact]
    public async Task Contract_PermanentFailure_KeptOnTheChangeWithItsError()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.b");

        await ActionContract.PermanentFailureKeptOnTheChangeAsync(harness, step, "POST", "revokeSignInSessions");
    }

    [Fact]
    public async Task Contract_TransientFailure_RethrownForTheEngineRetry_ThenCompleted()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.b");

        await ActionContract.TransientFailureRethrownThenRetriedAsync(harness, step, "POST", "revokeSignInSessions");
    }
}
