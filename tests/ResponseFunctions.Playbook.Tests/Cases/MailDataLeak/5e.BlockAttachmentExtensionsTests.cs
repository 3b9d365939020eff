using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.MailDataLeak;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;
using ResponseFunctions.SimulatedTenant;

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

    [Fact]
    public async Task BlockAttachmentExtensions_Contract_AppliesOnceThenSendsNothing_AndVerifies()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.e", Mailboxes.Bec());

        var run = await ActionContract.AppliesOnceThenNothingAsync(harness, step);

        Assert.Contains("hta", Assert.IsType<MergeMalwareFileTypes>(run.Plan.Changes[0]).Add);
        Assert.Equal(["iso", "one"], Assert.IsType<EnsureAttachmentRule>(run.Plan.Changes[1]).Add);
    }

    [Fact]
    public async Task BlockAttachmentExtensions_MalwareFilterForbidden_FailureKeptOnTheMerge_RuleStillCreated()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.e", Mailboxes.Bec());

        var result = await ActionContract.PermanentFailureOfCmdletKeptOnTheChangeAsync(harness, step, "Set-MalwareFilterPolicy");

        Assert.IsType<MergeMalwareFileTypes>(Assert.Single(result.Changes, c => c.Outcome == ChangeOutcome.Failed).Change);
        Assert.DoesNotContain("hta", harness.Tenant.State.Read(m => m.Exchange.MalwareFilterPolicies[0]["FileTypes"]!.AsArray().Select(n => (string)n!).ToList()));
        Assert.Single(harness.Tenant.State.Read(m => m.Exchange.TransportRules.Where(r => (string?)r["Name"] == "ResponseFunctions - block incident attachment extensions").ToList()));
    }

    [Fact]
    public async Task BlockAttachmentExtensions_NewTransportRuleUnavailable_RethrownForTheEngine_RetryCompletes()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.e", Mailboxes.Bec());

        await ActionContract.TransientFailureOfCmdletRethrownThenRetriedAsync(harness, step, "New-TransportRule");

        Assert.Single(harness.Tenant.State.Read(m => m.Exchange.TransportRules.Where(r => (string?)r["Name"] == "ResponseFunctions - block incident attachment extensions").ToList()));
    }

    [Fact]
    public async Task BlockAttachmentExtensions_NewTransportRuleNotFound_RuleChangeFailed_NotAlreadyDone()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.e", Mailboxes.Bec());
        var action = harness.Action("5.e");
        var plan = await action.PlanAsync(step, default);
        harness.Tenant.Faults.Add(FaultRule.ForCmdlet("New-TransportRule", 404, times: 1000));

        var result = await action.ApplyAsync(step, plan, default);

        var rule = Assert.Single(result.Changes, c => c.Change is EnsureAttachmentRule);
        Assert.Equal(ChangeOutcome.Failed, rule.Outcome);
        Assert.Equal(ErrorKind.NotFound, rule.Error?.Kind);
        Assert.Equal(ChangeOutcome.Done, Assert.Single(result.Changes, c => c.Change is MergeMalwareFileTypes).Outcome);
        Assert.Empty(harness.Tenant.State.Read(m => m.Exchange.TransportRules.Where(r => (string?)r["Name"] == "ResponseFunctions - block incident attachment extensions").ToList()));
    }

    [Fact]
    public async Task BlockAttachmentExtensions_MalwareFilterPolicyNotFound_MergeFailed_NotAlreadyDone()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.e", Mailboxes.Bec());
        var action = harness.Action("5.e");
        var plan = await action.PlanAsync(step, default);
        harness.Tenant.Faults.Add(FaultRule.ForCmdlet("Set-MalwareFilterPolicy", 404, times: 1000));

        var result = await action.ApplyAsync(step, plan, default);

        var merge = Assert.Single(result.Changes, c => c.Change is MergeMalwareFileTypes);
        Assert.Equal(ChangeOutcome.Failed, merge.Outcome);
        Assert.Equal(ErrorKind.NotFound, merge.Error?.Kind);
        Assert.DoesNotContain("hta", harness.Tenant.State.Read(m => m.Exchange.MalwareFilterPolicies[0]["FileTypes"]!.AsArray().Select(n => (string)n!).ToList()));
    }
}
