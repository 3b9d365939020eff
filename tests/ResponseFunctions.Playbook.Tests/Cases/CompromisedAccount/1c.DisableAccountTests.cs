using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.CompromisedAccount;

public sealed class DisableAccountTests
{
    [Fact]
    public async Task DisableAccount_DisablesAndJournalsTheEnabledBeforeState()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.c");

        var plan = await harness.Activities.PlanStepAsync(step, default);
        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);
        var verify = await harness.Activities.VerifyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(VerifyOutcome.Verified, verify.Outcome);
        Assert.False(harness.Tenant.State.Read(m => m.FindUser(Contoso.Adele)!.AccountEnabled));
        Assert.True(result.Before!.Value.GetProperty("accountEnabled").GetBoolean());
        Assert.False(result.After!.Value.GetProperty("accountEnabled").GetBoolean());
        var journaled = Assert.Single(harness.Journal.Entries, e => e.Action == "1.c" && e.Outcome == "apply:applied");
        Assert.True(journaled.Data!.Value.GetProperty("before").GetProperty("accountEnabled").GetBoolean());
    }

    [Fact]
    public async Task DisableAccount_AlreadyDisabled_NothingToDoAndNothingSent()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        harness.Tenant.State.Mutate(m => m.FindUser(Contoso.Adele)!.AccountEnabled = false);
        var step = await harness.StepAsync("1.c");

        var plan = await harness.Action("1.c").PlanAsync(step, default);

        Assert.Equal(PlanStatus.NothingToDo, plan.Status);
        Assert.Empty(harness.Writes());
    }

    [Fact]
    public async Task DisableAccount_SyncedUser_WarnsThatSyncCanEnableItAgain()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.c", PlaybookHarness.Request(users: [Contoso.LeeSynced]));

        var plan = await harness.Activities.PlanStepAsync(step, default);
        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        Assert.Contains(plan.Warnings, w => w.Contains("sync can enable it again", StringComparison.Ordinal));
        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.False(harness.Tenant.State.Read(m => m.FindUser(Contoso.LeeSynced)!.AccountEnabled));
    }

    [Fact]
    public async Task Contract_PlanApplyVerify_SecondApplySendsNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.c");

        await ActionContract.AppliesOnceThenNothingAsync(harness, step);
    }

    [Fact]
    public async Task Contract_TargetProtected_RefusedAtPlanAndAgainAtApply()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.c");

        await ActionContract.RefusedByTheGuardAtPlanAndApplyAsync(harness, step, Contoso.Adele);
    }

    [Fact]
    public async Task Contract_PermanentFailure_KeptOnTheChangeWithItsError()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.c");

        await ActionContract.PermanentFailureKeptOnTheChangeAsync(harness, step, "PATCH", $"/users/{Contoso.Adele}");
    }

    [Fact]
    public async Task Contract_TransientFailure_RethrownForTheEngineRetry_ThenCompleted()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.c");

        await ActionContract.TransientFailureRethrownThenRetriedAsync(harness, step, "PATCH", $"/users/{Contoso.Adele}");
    }
}
