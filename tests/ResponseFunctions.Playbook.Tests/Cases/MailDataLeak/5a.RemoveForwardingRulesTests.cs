using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
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
    public async Task RemoveForwardingRules_RunTwice_SecondPlanHasNothingToDoAndSendsNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.a", Mailboxes.Bec());
        var plan = await harness.Action("5.a").PlanAsync(step, default);
        await harness.Action("5.a").ApplyAsync(step, plan, default);
        var changes = harness.Writes().Count(w => !IsRead(w.Body));

        var again = await harness.Action("5.a").PlanAsync(step, default);
        var reapplied = await harness.Action("5.a").ApplyAsync(step, plan, default);

        Assert.Equal(PlanStatus.NothingToDo, again.Status);
        Assert.Equal(ApplyOutcome.AlreadyInPlace, reapplied.Outcome);
        Assert.Equal(changes, harness.Writes().Count(w => !IsRead(w.Body)));
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

    /// <summary>InvokeCommand is always a POST: a Get-* body is a read.</summary>
    internal static bool IsRead(string? body) => body?.Contains("\"CmdletName\":\"Get-", StringComparison.Ordinal) == true;

    private static JsonObject Mailbox(PlaybookHarness harness, string name) =>
        harness.Tenant.State.Read(m => m.Exchange.Mailboxes.Single(x => (string?)x["Name"] == name).DeepClone().AsObject());
}
