using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.MailDataLeak;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.MailDataLeak;

public sealed class BlockSharedMailboxSignInTests
{
    [Fact]
    public async Task BlockSharedMailboxSignIn_Bec_DisablesTheFinanceAccountAndItsDirectProtocols()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.c", Mailboxes.Bec());

        var plan = await harness.Activities.PlanStepAsync(step, default);
        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.False(harness.Tenant.State.Read(m => m.FindUser(Mailboxes.FinanceUserId)!.AccountEnabled));
        Assert.Equal(1, harness.Tenant.Requests.Count("PATCH", $"/users/{Mailboxes.FinanceUserId}"));
        var finance = Mailbox(harness, "finance");
        Assert.All(new[] { "MAPIEnabled", "OWAEnabled", "ImapEnabled", "PopEnabled", "EwsEnabled", "ActiveSyncEnabled" }, p => Assert.False(finance[p]!.GetValue<bool>()));
        Assert.True(harness.Tenant.State.Read(m => m.FindUser(Contoso.Adele)!.AccountEnabled));
        Assert.Equal(PlanStatus.NothingToDo, (await harness.Action("5.c").PlanAsync(step, default)).Status);
    }


    [Fact]
    public async Task BlockSharedMailboxSignIn_Contract_AppliesOnceThenSendsNothing_AndVerifies()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.c", Mailboxes.Bec());

        var run = await ActionContract.AppliesOnceThenNothingAsync(harness, step);

        var block = Assert.IsType<BlockSharedSignIn>(run.Plan.Changes[0]);
        Assert.Equal((Mailboxes.FinanceUserId, Mailboxes.Finance), (block.ResourceId, block.Upn));
        Assert.Equal(Mailboxes.Finance, Assert.IsType<DisableSharedProtocols>(run.Plan.Changes[1]).ResourceId);
    }

    /// <summary>The catalog row's guard is per change: an account protected since the approval is refused, the protocols still go off.</summary>
    [Fact]
    public async Task BlockSharedMailboxSignIn_AccountProtectedAfterApproval_SignInChangeRefused_LeftOutOfANewPlan()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.c", Mailboxes.Bec());
        var approved = await harness.Action("5.c").PlanAsync(step, default);
        harness.Services.GetRequiredService<IOptions<ContainmentPolicy>>().Value.ProtectedPrincipals.Add(Mailboxes.FinanceUserId);

        var plan = await harness.Action("5.c").PlanAsync(step, default);
        var apply = await harness.Action("5.c").ApplyAsync(step, approved, default);

        Assert.Equal(PlanStatus.NothingToDo, plan.Status);
        Assert.Contains(plan.Warnings, w => w.Contains(Mailboxes.Finance, StringComparison.Ordinal));
        Assert.Equal([ChangeOutcome.Refused, ChangeOutcome.Done], apply.Changes.Select(c => c.Outcome));
        Assert.Equal("tenant-guard", apply.Changes[0].Error!.Code);
        Assert.True(harness.Tenant.State.Read(m => m.FindUser(Mailboxes.FinanceUserId)!.AccountEnabled));
        Assert.Equal(0, harness.Tenant.Requests.Count("PATCH", $"/users/{Mailboxes.FinanceUserId}"));
    }

    [Fact]
    public async Task BlockSharedMailboxSignIn_UserPatchForbidden_FailureKeptOnTheSignInChange()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.c", Mailboxes.Bec());

        var result = await ActionContract.PermanentFailureKeptOnTheChangeAsync(harness, step, "PATCH", $"/users/{Mailboxes.FinanceUserId}");

        Assert.IsType<BlockSharedSignIn>(Assert.Single(result.Changes, c => c.Outcome == ChangeOutcome.Failed).Change);
        Assert.True(harness.Tenant.State.Read(m => m.FindUser(Mailboxes.FinanceUserId)!.AccountEnabled));
    }

    [Fact]
    public async Task BlockSharedMailboxSignIn_SetCasMailboxThrottled_RethrownForTheEngine_RetryCompletes()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.c", Mailboxes.Bec());

        await ActionContract.TransientFailureOfCmdletRethrownThenRetriedAsync(harness, step, "Set-CASMailbox");

        Assert.False(Mailbox(harness, "finance")["OWAEnabled"]!.GetValue<bool>());
    }

    private static JsonObject Mailbox(PlaybookHarness harness, string name) =>
        harness.Tenant.State.Read(m => m.Exchange.Mailboxes.Single(x => (string?)x["Name"] == name).DeepClone().AsObject());
}
