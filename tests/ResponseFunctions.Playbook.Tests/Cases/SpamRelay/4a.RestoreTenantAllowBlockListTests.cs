using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.SpamRelay;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.SpamRelay;

public sealed class RestoreTenantAllowBlockListTests
{
    [Fact]
    public async Task RestoreTenantAllowBlockList_SpamRelay_RemovesAttackerAllowEntriesFirst_ThenBlocksTheIncidentDomains()
    {
        await using var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);
        var step = await harness.StepAsync("4.a", Mailboxes.SpamRelay());

        var plan = await harness.Activities.PlanStepAsync(step, default);
        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);
        var verify = await harness.Activities.VerifyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(VerifyOutcome.Verified, verify.Outcome);
        var entries = harness.Tenant.State.Read(m => m.Exchange.TenantAllowBlockListItems.Select(i => $"{i["ListType"]} {i["Value"]} {i["Action"]}").ToList());
        Assert.Equal(["Sender partner.example Allow", "Sender spam-king.example Block", "Sender bulk-mailer.example Block", "Sender cheap-pills.example Block"], entries);
        var cmdlets = harness.Writes().Select(w => w.Body!).Where(b => !b.Contains("\"Get-", StringComparison.Ordinal)).ToList();
        Assert.All(cmdlets.Take(3), b => Assert.Contains("Remove-TenantAllowBlockListItems", b, StringComparison.Ordinal));
        Assert.All(cmdlets.Skip(3), b => Assert.Contains("New-TenantAllowBlockListItems", b, StringComparison.Ordinal));
        Assert.Equal(PlanStatus.NothingToDo, (await harness.Action("4.a").PlanAsync(step, default)).Status);
    }

    [Fact]
    public async Task RestoreTenantAllowBlockList_Contract_AppliesOnceThenSendsNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);
        var step = await harness.StepAsync("4.a", Mailboxes.SpamRelay());

        var run = await ActionContract.AppliesOnceThenNothingAsync(harness, step);

        Assert.Equal(["remove-allow-entry", "remove-allow-entry", "remove-allow-entry", "block-sender-domain", "block-sender-domain"], run.Plan.Changes.Select(c => c.Kind));
        Assert.Equal(["Sender", "Sender", "Url"], run.Plan.Changes.OfType<RemoveAllowEntry>().Select(c => c.ListType));
    }

    // A block beside a surviving allow entry is refused by the service (400): so the 403 is put on the blocks, after the removals.
    [Fact]
    public async Task RestoreTenantAllowBlockList_BlockForbidden_FailureKeptOnEachBlock_RemovalsStillMade()
    {
        await using var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);
        var step = await harness.StepAsync("4.a", Mailboxes.SpamRelay());

        var result = await ActionContract.PermanentFailureOfCmdletKeptOnTheChangeAsync(harness, step, "New-TenantAllowBlockListItems");

        Assert.All(result.Changes.Where(c => c.Change is RemoveAllowEntry), c => Assert.Equal(ChangeOutcome.Done, c.Outcome));
        Assert.All(result.Changes.Where(c => c.Change is BlockSenderDomain), c => Assert.Equal(ChangeOutcome.Failed, c.Outcome));
    }

    [Fact]
    public async Task RestoreTenantAllowBlockList_ServiceUnavailable_RethrownForTheEngine_RetryCompletes()
    {
        await using var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);
        var step = await harness.StepAsync("4.a", Mailboxes.SpamRelay());

        await ActionContract.TransientFailureOfCmdletRethrownThenRetriedAsync(harness, step, "Remove-TenantAllowBlockListItems");
    }
}
