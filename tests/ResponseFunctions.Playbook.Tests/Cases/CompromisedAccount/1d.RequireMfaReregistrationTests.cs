using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.CompromisedAccount;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.CompromisedAccount;

public sealed class RequireMfaReregistrationTests
{
    private const string AttackerAuthenticator = "9a7b3c2d-1e0f-4a5b-8c6d-7e8f9a0b1c22";

    [Fact]
    public async Task Plan_ListsEveryMethodAsEvidence_AndPlansToDeleteAllButThePassword()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.d");

        var plan = await harness.Action("1.d").PlanAsync(step, default);

        Assert.Equal(PlanStatus.ChangeRequired, plan.Status);
        Assert.Equal(4, plan.Changes.Count);
        Assert.Contains(plan.Changes, c => c.ResourceId == AttackerAuthenticator && c is DeleteAuthenticationMethod { Segment: "microsoftAuthenticatorMethods" });
        Assert.Contains(plan.Evidence, e => e.Value.Contains("SM-A515F", StringComparison.Ordinal) && e.Value.Contains("2026-11-20", StringComparison.Ordinal));
        Assert.Empty(harness.Writes());
    }

    [Fact]
    public async Task Apply_DeletesThroughTypeSpecificEndpoints_LeavingOnlyThePassword()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.d");
        var plan = await harness.Activities.PlanStepAsync(step, default);

        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);
        var verify = await harness.Activities.VerifyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(VerifyOutcome.Verified, verify.Outcome);
        var remaining = harness.Tenant.State.Read(m => m.FindUser(Contoso.Adele)!.AuthenticationMethods.Select(a => a.Id).ToList());
        Assert.Equal(["28c10230-6103-485e-b985-444c60001490"], remaining);
        Assert.Equal(0, harness.Tenant.Requests.Count("DELETE", "/authentication/methods/"));
        Assert.Equal(1, harness.Tenant.Requests.Count("DELETE", $"/authentication/microsoftAuthenticatorMethods/{AttackerAuthenticator}"));
        Assert.Equal(4, result.Before!.Value.GetArrayLength() - 1);
    }

    [Fact]
    public async Task Apply_DefaultMethodRefusedWhileOthersRemain_IsRetriedLast()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        harness.Tenant.State.Mutate(m => m.FindUser(Contoso.Adele)!.DefaultAuthenticationMethodId = AttackerAuthenticator);
        var step = await harness.StepAsync("1.d");
        var plan = await harness.Activities.PlanStepAsync(step, default);

        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        var deletes = harness.Tenant.Requests.Find("DELETE", AttackerAuthenticator);
        Assert.Equal([400, 204], deletes.Select(d => d.StatusCode));
        Assert.Equal(deletes[^1], harness.Tenant.Requests.Find("DELETE", "/authentication/")[^1]);
    }

    [Fact]
    public async Task Plan_OnlyPassword_NothingToDo()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.d");
        var plan = await harness.Activities.PlanStepAsync(step, default);
        await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        var again = await harness.Action("1.d").PlanAsync(step, default);

        Assert.Equal(PlanStatus.NothingToDo, again.Status);
    }

    [Fact]
    public async Task Contract_PlanApplyVerify_SecondApplySendsNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.d");

        await ActionContract.AppliesOnceThenNothingAsync(harness, step);
    }

    [Fact]
    public async Task Contract_TargetProtected_RefusedAtPlanAndAgainAtApply()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.d");

        await ActionContract.RefusedByTheGuardAtPlanAndApplyAsync(harness, step, Contoso.Adele);
    }

    [Fact]
    public async Task Contract_PermanentFailure_KeptOnTheChangeWithItsError()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.d");

        await ActionContract.PermanentFailureKeptOnTheChangeAsync(harness, step, "DELETE", "/authentication/");
    }

    [Fact]
    public async Task Contract_TransientFailure_RethrownForTheEngineRetry_ThenCompleted()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.d");

        await ActionContract.TransientFailureRethrownThenRetriedAsync(harness, step, "DELETE", "/authentication/");
    }
}
