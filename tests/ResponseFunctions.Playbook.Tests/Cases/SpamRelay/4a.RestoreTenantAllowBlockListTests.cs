using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
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
}
