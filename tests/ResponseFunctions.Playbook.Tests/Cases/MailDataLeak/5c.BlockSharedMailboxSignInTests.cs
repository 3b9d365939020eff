using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Orchestration;
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

    private static JsonObject Mailbox(PlaybookHarness harness, string name) =>
        harness.Tenant.State.Read(m => m.Exchange.Mailboxes.Single(x => (string?)x["Name"] == name).DeepClone().AsObject());
}
