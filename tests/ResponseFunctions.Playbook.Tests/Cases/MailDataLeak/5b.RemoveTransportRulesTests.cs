using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.MailDataLeak;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.MailDataLeak;

public sealed class RemoveTransportRulesTests
{
    [Fact]
    public async Task RemoveTransportRules_Bec_DisablesThenRemovesTheBlindCopyRule_KeepsTheDisclaimer()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.b", Mailboxes.Bec());

        var plan = await harness.Activities.PlanStepAsync(step, default);
        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(["disable-transport-rule", "remove-transport-rule"], plan.Changes.Select(c => c.Kind));
        Assert.Contains("BlindCopyTo external journal@mailsafe-archive.example", plan.Changes[0].Description, StringComparison.Ordinal);
        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(["Legal disclaimer"], harness.Tenant.State.Read(m => m.Exchange.TransportRules.Select(r => (string)r["Name"]!).ToList()));
        var cmdlets = harness.Writes().Select(w => w.Body).Where(b => b?.Contains("TransportRule\"", StringComparison.Ordinal) == true && !IsRead(b)).ToList();
        Assert.Contains("Disable-TransportRule", cmdlets[0], StringComparison.Ordinal);
        Assert.Contains("Remove-TransportRule", cmdlets[1], StringComparison.Ordinal);
        Assert.Equal(VerifyOutcome.Verified, (await harness.Activities.VerifyStepAsync(new StepWork(step, plan), default)).Outcome);
    }


    [Fact]
    public async Task RemoveTransportRules_Contract_AppliesOnceThenSendsNothing_AndVerifies()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.b", Mailboxes.Bec());

        var run = await ActionContract.AppliesOnceThenNothingAsync(harness, step);

        Assert.Equal(["Compliance journal copy", "Compliance journal copy"], run.Plan.Changes.Select(c => c switch
        {
            DisableTransportRule d => d.Name,
            RemoveTransportRule r => r.Name,
            _ => c.Kind,
        }));
        Assert.Equal(PlanStatus.NothingToDo, (await harness.Action("5.b").PlanAsync(step, default)).Status);
    }

    [Fact]
    public async Task RemoveTransportRules_RemoveForbidden_FailureKeptOnTheRemoval_RuleStaysDisabled()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.b", Mailboxes.Bec());

        var result = await ActionContract.PermanentFailureOfCmdletKeptOnTheChangeAsync(harness, step, "Remove-TransportRule");

        Assert.Equal(ApplyOutcome.PartiallyApplied, result.Outcome);
        Assert.Equal([ChangeOutcome.Done, ChangeOutcome.Failed], result.Changes.Select(c => c.Outcome));
        var rule = harness.Tenant.State.Read(m => m.Exchange.TransportRules.Single(r => (string?)r["Name"] == "Compliance journal copy").DeepClone().AsObject());
        Assert.Equal("Disabled", (string?)rule["State"]);
    }

    [Fact]
    public async Task RemoveTransportRules_DisableUnavailable_RethrownForTheEngine_RetryCompletes()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.b", Mailboxes.Bec());

        await ActionContract.TransientFailureOfCmdletRethrownThenRetriedAsync(harness, step, "Disable-TransportRule");

        Assert.Equal(["Legal disclaimer"], harness.Tenant.State.Read(m => m.Exchange.TransportRules.Select(r => (string)r["Name"]!).ToList()));
    }

    /// <summary>InvokeCommand is always a POST: a Get-* body is a read.</summary>
    internal static bool IsRead(string? body) => body?.Contains("\"CmdletName\":\"Get-", StringComparison.Ordinal) == true;
}
