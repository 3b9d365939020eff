using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.MailDataLeak;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.MailDataLeak;

public sealed class RemoveMailboxDelegationsTests
{
    [Fact]
    public async Task RemoveMailboxDelegations_Bec_RemovesTheAttackerAccess_KeepsTheBaselineDelegations()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.f", Mailboxes.Bec());

        var plan = await harness.Activities.PlanStepAsync(step, default);
        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);
        var again = await harness.Action("5.f").ApplyAsync(step, plan, default);

        Assert.Equal(["remove-fullaccess", "remove-sendas"], plan.Changes.Select(c => c.Kind));
        Assert.All(plan.Changes, c => Assert.Equal(Mailboxes.Attacker, c.ResourceId));
        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(ApplyOutcome.AlreadyInPlace, again.Outcome);
        var onAdele = harness.Tenant.State.Read(m => m.Exchange.MailboxPermissions.Where(p => (string?)p["Identity"] == Mailboxes.Adele).Select(p => (string)p["User"]!).ToList());
        Assert.Equal(["NT AUTHORITY\\SELF", Mailboxes.Megan], onAdele);
        Assert.DoesNotContain(Mailboxes.Attacker, harness.Tenant.State.Read(m => m.Exchange.RecipientPermissions.Select(p => (string)p["Trustee"]!).ToList()));
        Assert.Equal([Mailboxes.Megan], AdeleMailbox(harness)["GrantSendOnBehalfTo"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public async Task RemoveMailboxDelegations_NoBaseline_RemovesSendOnBehalfWithAHashTable_AndWarns()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec");
        var step = await harness.StepAsync("5.f", Mailboxes.Bec());

        var plan = await harness.Action("5.f").PlanAsync(step, default);
        await harness.Action("5.f").ApplyAsync(step, plan, default);

        Assert.Contains(plan.Warnings, w => w.Contains("No delegation baseline", StringComparison.Ordinal));
        Assert.Empty(AdeleMailbox(harness)["GrantSendOnBehalfTo"]!.AsArray());
        Assert.Contains(harness.Writes(), w => w.Body?.Contains("\"GrantSendOnBehalfTo\":{\"@odata.type\":\"#Exchange.GenericHashTable\",\"Remove\":[", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task RemoveMailboxDelegations_Contract_AppliesOnceThenSendsNothing_AndVerifies()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.f", Mailboxes.Bec());

        var run = await ActionContract.AppliesOnceThenNothingAsync(harness, step);

        Assert.Equal(["FullAccess", "SendAs"], run.Plan.Changes.Cast<RemoveDelegation>().Select(c => c.Right));
    }

    [Fact]
    public async Task RemoveMailboxDelegations_MailboxProtectedAfterApproval_RefusedAtPlanAndApply()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.f", Mailboxes.Bec());

        await ActionContract.RefusedByTheGuardAtPlanAndApplyAsync(harness, step, Contoso.Adele);

        Assert.Contains(Mailboxes.Attacker, harness.Tenant.State.Read(m => m.Exchange.RecipientPermissions.Select(p => (string)p["Trustee"]!).ToList()));
    }

    [Fact]
    public async Task RemoveMailboxDelegations_RecipientPermissionForbidden_FailureKeptOnSendAs_FullAccessStillRemoved()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.f", Mailboxes.Bec());

        var result = await ActionContract.PermanentFailureOfCmdletKeptOnTheChangeAsync(harness, step, "Remove-RecipientPermission");

        Assert.IsType<RemoveSendAs>(Assert.Single(result.Changes, c => c.Outcome == ChangeOutcome.Failed).Change);
        Assert.Contains(Mailboxes.Attacker, harness.Tenant.State.Read(m => m.Exchange.RecipientPermissions.Select(p => (string)p["Trustee"]!).ToList()));
        Assert.DoesNotContain(Mailboxes.Attacker, FullAccessOnAdele(harness));
    }

    [Fact]
    public async Task RemoveMailboxDelegations_MailboxPermissionThrottled_RethrownForTheEngine_RetryCompletes()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.f", Mailboxes.Bec());

        await ActionContract.TransientFailureOfCmdletRethrownThenRetriedAsync(harness, step, "Remove-MailboxPermission");

        Assert.DoesNotContain(Mailboxes.Attacker, FullAccessOnAdele(harness));
    }

    private static List<string> FullAccessOnAdele(PlaybookHarness harness) =>
        harness.Tenant.State.Read(m => m.Exchange.MailboxPermissions.Where(p => (string?)p["Identity"] == Mailboxes.Adele).Select(p => (string)p["User"]!).ToList());

    private static JsonObject AdeleMailbox(PlaybookHarness harness) => Mailbox(harness, "adele.vance");

    private static JsonObject Mailbox(PlaybookHarness harness, string name) =>
        harness.Tenant.State.Read(m => m.Exchange.Mailboxes.Single(x => (string?)x["Name"] == name).DeepClone().AsObject());
}
