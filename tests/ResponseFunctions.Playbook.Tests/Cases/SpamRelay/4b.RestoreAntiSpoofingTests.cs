using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.SpamRelay;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.SpamRelay;

public sealed class RestoreAntiSpoofingTests
{
    [Fact]
    public async Task RestoreAntiSpoofing_SpamRelay_SwitchesSpoofIntelligenceOn_AndRemovesOnlyNonBaselineTrustedEntries()
    {
        await using var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);
        var step = await harness.StepAsync("4.b", Mailboxes.SpamRelay());

        var plan = await harness.Activities.PlanStepAsync(step, default);
        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        var policy = harness.Tenant.State.Read(m => m.Exchange.AntiPhishPolicies[0].DeepClone().AsObject());
        Assert.True(policy["EnableSpoofIntelligence"]!.GetValue<bool>());
        Assert.Equal(["ceo@partner.example"], policy["ExcludedSenders"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["partner.example"], policy["ExcludedDomains"]!.AsArray().Select(n => (string)n!));
        Assert.False(result.Before!.Value.EnumerateArray().Single().GetProperty("EnableSpoofIntelligence").GetBoolean());
        Assert.Equal(PlanStatus.NothingToDo, (await harness.Action("4.b").PlanAsync(step, default)).Status);
    }

    [Fact]
    public async Task RestoreAntiSpoofing_Contract_AppliesOnceThenSendsNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);
        var step = await harness.StepAsync("4.b", Mailboxes.SpamRelay());

        var run = await ActionContract.AppliesOnceThenNothingAsync(harness, step);

        var change = Assert.IsType<RestoreAntiPhishPolicy>(Assert.Single(run.Plan.Changes));
        Assert.Equal(["billing@cheap-pills.example"], change.Senders);
        Assert.Equal(["bulk-mailer.example"], change.Domains);
    }

    [Fact]
    public async Task RestoreAntiSpoofing_SetForbidden_FailureKeptOnTheChange()
    {
        await using var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);
        var step = await harness.StepAsync("4.b", Mailboxes.SpamRelay());

        await ActionContract.PermanentFailureOfCmdletKeptOnTheChangeAsync(harness, step, "Set-AntiPhishPolicy");

        Assert.False(harness.Tenant.State.Read(m => m.Exchange.AntiPhishPolicies[0]["EnableSpoofIntelligence"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task RestoreAntiSpoofing_ServiceUnavailable_RethrownForTheEngine_RetryCompletes()
    {
        await using var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);
        var step = await harness.StepAsync("4.b", Mailboxes.SpamRelay());

        await ActionContract.TransientFailureOfCmdletRethrownThenRetriedAsync(harness, step, "Set-AntiPhishPolicy");
    }
}
