using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.MailDataLeak;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.MailDataLeak;

public sealed class RemoveForwardingRulesTests
{
    [Fact]
    public async Task RemoveForwardingRules_Bec_RemovesTheAttackerRulesAndForwarding_KeepsTheNewsletterAndSystemRules()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.a", Mailboxes.Bec());

        var plan = await harness.Activities.PlanStepAsync(step, default);
        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);
        var verify = await harness.Activities.VerifyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(["remove-inbox-rule", "remove-inbox-rule", "clear-mailbox-forwarding"], plan.Changes.Select(c => c.Kind));
        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(VerifyOutcome.Verified, verify.Outcome);
        Assert.Equal(["Newsletters", "Junk E-Mail Rule"], harness.Tenant.State.Read(m => m.Exchange.InboxRules.Select(r => (string)r["Name"]!).ToList()));
        var adele = AdeleMailbox(harness);
        Assert.Null(adele["ForwardingSmtpAddress"]);
        Assert.False(adele["DeliverToMailboxAndForward"]!.GetValue<bool>());

        // The visible rule went through Graph, the hidden one through Exchange (Graph cannot see it).
        Assert.Equal(1, harness.Tenant.Requests.Count("DELETE", "/mailFolders/inbox/messageRules/"));
        Assert.Single(harness.Writes(), w => w.Body?.Contains("\"Remove-InboxRule\"", StringComparison.Ordinal) == true && w.Body.Contains("1152921504606846979", StringComparison.Ordinal));

        // Each removed rule is in the plan's before-state with all its properties.
        var exported = plan.Before!.Value.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("identity").GetString()!.EndsWith("846978", StringComparison.Ordinal));
        Assert.Equal("invoice", exported.GetProperty("properties").GetProperty("SubjectOrBodyContainsWords")[0].GetString());
        Assert.Contains("proton.example", exported.GetProperty("properties").GetProperty("ForwardTo")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveForwardingRules_Contract_AppliesOnceThenSendsNothing_AndVerifies()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.a", Mailboxes.Bec());

        var run = await ActionContract.AppliesOnceThenNothingAsync(harness, step);

        var rules = run.Plan.Changes.OfType<RemoveInboxRule>().ToList();
        Assert.Equal([".", ".."], rules.Select(r => r.Name));
        Assert.Equal([true, false], rules.Select(r => r.GraphId is not null));
        Assert.IsType<ClearMailboxForwarding>(run.Plan.Changes[^1]);
        Assert.Equal(PlanStatus.NothingToDo, (await harness.Action("5.a").PlanAsync(step, default)).Status);
    }

    [Fact]
    public async Task RemoveForwardingRules_MailboxProtectedAfterApproval_RefusedAtPlanAndApply()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.a", Mailboxes.Bec());

        await ActionContract.RefusedByTheGuardAtPlanAndApplyAsync(harness, step, Contoso.Adele);

        Assert.Equal(4, harness.Tenant.State.Read(m => m.Exchange.InboxRules.Count));
    }

    [Fact]
    public async Task RemoveForwardingRules_SetMailboxForbidden_FailureKeptOnTheForwardingChange_RulesStillRemoved()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.a", Mailboxes.Bec());

        var result = await ActionContract.PermanentFailureOfCmdletKeptOnTheChangeAsync(harness, step, "Set-Mailbox");

        Assert.Equal(ApplyOutcome.PartiallyApplied, result.Outcome);
        Assert.IsType<ClearMailboxForwarding>(Assert.Single(result.Changes, c => c.Outcome == ChangeOutcome.Failed).Change);
        Assert.NotNull(AdeleMailbox(harness)["ForwardingSmtpAddress"]);
        Assert.Equal(["Newsletters", "Junk E-Mail Rule"], harness.Tenant.State.Read(m => m.Exchange.InboxRules.Select(r => (string)r["Name"]!).ToList()));
    }

    [Fact]
    public async Task RemoveForwardingRules_RemoveInboxRuleUnavailable_RethrownForTheEngine_RetryCompletes()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.a", Mailboxes.Bec());

        await ActionContract.TransientFailureOfCmdletRethrownThenRetriedAsync(harness, step, "Remove-InboxRule");

        Assert.Equal(["Newsletters", "Junk E-Mail Rule"], harness.Tenant.State.Read(m => m.Exchange.InboxRules.Select(r => (string)r["Name"]!).ToList()));
    }

    [Fact]
    public async Task RemoveForwardingRules_GraphDeleteThrottled_RethrownForTheEngine_RetryCompletes()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.a", Mailboxes.Bec());

        await ActionContract.TransientFailureRethrownThenRetriedAsync(harness, step, "DELETE", "/mailFolders/inbox/messageRules/");
    }

    [Fact]
    public async Task RemoveForwardingRules_ProtectedMailbox_IsRefusedAndNothingIsRead()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", p =>
        {
            Mailboxes.BecPolicy(p);
            p.ProtectedPrincipals.Add(Contoso.Adele);
        });
        var step = await harness.StepAsync("5.a", Mailboxes.Bec());

        var plan = await harness.Action("5.a").PlanAsync(step, default);

        Assert.Equal(PlanStatus.Refused, plan.Status);
        Assert.Equal(4, harness.Tenant.State.Read(m => m.Exchange.InboxRules.Count));
    }

    private static JsonObject AdeleMailbox(PlaybookHarness harness) => Mailbox(harness, "adele.vance");

    private static JsonObject Mailbox(PlaybookHarness harness, string name) =>
        harness.Tenant.State.Read(m => m.Exchange.Mailboxes.Single(x => (string?)x["Name"] == name).DeepClone().AsObject());
}
