using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.MailDataLeak;

public sealed class BlockAttachmentExtensionsTests
{
    [Fact]
    public async Task BlockAttachmentExtensions_Bec_MergesIntoTheFileFilterAndCreatesTheIncidentRule()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.e", Mailboxes.Bec());
        var original = harness.Tenant.State.Read(m => m.Exchange.MalwareFilterPolicies[0]["FileTypes"]!.AsArray().Select(n => (string)n!).ToList());

        var plan = await harness.Activities.PlanStepAsync(step, default);
        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        var policy = harness.Tenant.State.Read(m => m.Exchange.MalwareFilterPolicies[0].DeepClone().AsObject());
        var types = policy["FileTypes"]!.AsArray().Select(n => (string)n!).ToList();
        Assert.True(policy["EnableFileFilter"]!.GetValue<bool>());
        Assert.Superset(original.ToHashSet(), types.ToHashSet());
        Assert.Contains("hta", types);
        var rule = harness.Tenant.State.Read(m => m.Exchange.TransportRules.Single(r => (string?)r["Name"] == "ResponseFunctions - block incident attachment extensions").DeepClone().AsObject());
        Assert.Equal(["iso", "one"], rule["AttachmentExtensionMatchesWords"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(PlanStatus.NothingToDo, (await harness.Action("5.e").PlanAsync(step, default)).Status);
    }
}
