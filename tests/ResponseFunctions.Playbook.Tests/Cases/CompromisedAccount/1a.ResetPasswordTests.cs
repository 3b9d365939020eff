using System.Text.Json;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.CompromisedAccount;

public sealed class ResetPasswordTests
{
    [Fact]
    public async Task Plan_ReadsOnly_AndNamesTheExactChange()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.a");

        var plan = await harness.Action("1.a").PlanAsync(step, default);

        Assert.Equal(PlanStatus.ChangeRequired, plan.Status);
        Assert.Equal("reset-password", Assert.Single(plan.Changes).Kind);
        Assert.Empty(harness.Writes());
        Assert.Empty(harness.Passwords.Generated);
    }

    [Fact]
    public async Task Apply_SetsAForcedChange_AndThePasswordIsNowhereButInTheRequestToGraph()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.a");
        var plan = await harness.Activities.PlanStepAsync(step, default);

        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);
        var verify = await harness.Activities.VerifyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(VerifyOutcome.Verified, verify.Outcome);
        var user = harness.Tenant.State.Read(m => m.FindUser(Contoso.Adele)!);
        Assert.True(user.ForceChangePasswordNextSignIn);
        Assert.True(step.Scope.IsSinceOpened(user.LastPasswordChangeDateTime));

        var password = Assert.Single(harness.Passwords.Generated);
        Assert.True(password.Length >= 16);
        var everythingKept = string.Join('\n',
            JsonSerializer.Serialize(plan), JsonSerializer.Serialize(result), JsonSerializer.Serialize(verify),
            string.Join('\n', harness.Journal.Entries.Select(JournalJson.ToLine)),
            string.Join('\n', harness.Tenant.Requests.Snapshot().Select(r => r.Body)),
            harness.Tenant.ExportStateJson());
        Assert.DoesNotContain(password, everythingKept, StringComparison.Ordinal);
        Assert.Contains("discarded", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyTwice_SecondTimeSendsNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.a");
        var plan = await harness.Activities.PlanStepAsync(step, default);
        await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);
        harness.Tenant.Requests.Clear();

        var again = await harness.Action("1.a").ApplyAsync(step, plan, default);
        var replanned = await harness.Action("1.a").PlanAsync(step, default);

        Assert.Equal(ApplyOutcome.AlreadyInPlace, again.Outcome);
        Assert.Equal(PlanStatus.NothingToDo, replanned.Status);
        Assert.Empty(harness.Writes());
        Assert.Single(harness.Passwords.Generated);
    }

    [Fact]
    public async Task Plan_SyncedUser_WarnsToResetOnPremises_AndApplyFailureIsReported()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.a", PlaybookHarness.Request(users: [Contoso.LeeSynced]));

        var plan = await harness.Activities.PlanStepAsync(step, default);
        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        Assert.Contains(plan.Warnings, w => w.Contains("on-premises AD", StringComparison.Ordinal));
        Assert.Equal(ApplyOutcome.Failed, result.Outcome);
        Assert.Equal(ErrorKind.BadRequest, result.Error?.Kind);
        Assert.Contains(harness.Journal.Entries, e => e.Action == "1.a" && e.Outcome == "apply:failed");
    }

    [Fact]
    public async Task Contract_PlanApplyVerify_SecondApplySendsNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.a");

        await ActionContract.AppliesOnceThenNothingAsync(harness, step);
    }

    [Fact]
    public async Task Contract_TargetProtected_RefusedAtPlanAndAgainAtApply()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.a");

        await ActionContract.RefusedByTheGuardAtPlanAndApplyAsync(harness, step, Contoso.Adele);
    }

    [Fact]
    public async Task Contract_PermanentFailure_KeptOnTheChangeWithItsError()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.a");

        await ActionContract.PermanentFailureKeptOnTheChangeAsync(harness, step, "PATCH", $"/users/{Contoso.Adele}");
    }

    [Fact]
    public async Task Contract_TransientFailure_RethrownForTheEngineRetry_ThenCompleted()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.a");

        await ActionContract.TransientFailureRethrownThenRetriedAsync(harness, step, "PATCH", $"/users/{Contoso.Adele}");
    }
}
