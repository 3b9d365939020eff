using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.MailDataLeak;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.MailDataLeak;

public sealed class DisableLegacyProtocolsTests
{
    [Fact]
    public async Task DisableLegacyProtocols_Bec_TurnsOffPopImapAndTenantSmtpAuth_KeepsTheAllowListedScanner()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.d", Mailboxes.Bec());

        var plan = await harness.Activities.PlanStepAsync(step, default);
        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.False(AdeleMailbox(harness)["PopEnabled"]!.GetValue<bool>());
        Assert.False(Mailbox(harness, "finance")["ImapEnabled"]!.GetValue<bool>());
        Assert.True(harness.Tenant.State.Read(m => m.Exchange.TransportConfig["SmtpClientAuthenticationDisabled"]!.GetValue<bool>()));
        Assert.False(Mailbox(harness, "scanner")["SmtpClientAuthenticationDisabled"]!.GetValue<bool>());
        Assert.DoesNotContain(plan.Changes, c => c.ResourceId == Mailboxes.Scanner);
        Assert.Equal(PlanStatus.NothingToDo, (await harness.Action("5.d").PlanAsync(step, default)).Status);
    }

    [Fact]
    public async Task DisableLegacyProtocols_AllowListedMailboxFollowingTheOrganisation_GetsAnExplicitExceptionFirst()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        harness.Tenant.State.Mutate(m => m.Exchange.Mailboxes.Single(x => (string?)x["Name"] == "scanner")["SmtpClientAuthenticationDisabled"] = null);
        var step = await harness.StepAsync("5.d", Mailboxes.Bec());

        var plan = await harness.Action("5.d").PlanAsync(step, default);
        await harness.Action("5.d").ApplyAsync(step, plan, default);

        Assert.Contains(plan.Changes, c => c.Kind == "keep-smtp-auth-exception" && c.ResourceId == Mailboxes.Scanner);
        Assert.False(Mailbox(harness, "scanner")["SmtpClientAuthenticationDisabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task DisableLegacyProtocols_Contract_AppliesOnceThenSendsNothing_AndVerifies()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.d", Mailboxes.Bec());

        var run = await ActionContract.AppliesOnceThenNothingAsync(harness, step);

        Assert.Equal([typeof(DisableMailboxLegacyProtocols), typeof(DisableMailboxLegacyProtocols), typeof(DisableTenantSmtpAuth)], run.Plan.Changes.Select(c => c.GetType()));
    }

    [Fact]
    public async Task DisableLegacyProtocols_TransportConfigForbidden_FailureKeptOnTheTenantChange_MailboxesStillDone()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.d", Mailboxes.Bec());

        var result = await ActionContract.PermanentFailureOfCmdletKeptOnTheChangeAsync(harness, step, "Set-TransportConfig");

        Assert.IsType<DisableTenantSmtpAuth>(Assert.Single(result.Changes, c => c.Outcome == ChangeOutcome.Failed).Change);
        Assert.False(harness.Tenant.State.Read(m => m.Exchange.TransportConfig["SmtpClientAuthenticationDisabled"]!.GetValue<bool>()));
        Assert.False(AdeleMailbox(harness)["PopEnabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task DisableLegacyProtocols_SetCasMailboxThrottled_RethrownForTheEngine_RetryCompletes()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.d", Mailboxes.Bec());

        await ActionContract.TransientFailureOfCmdletRethrownThenRetriedAsync(harness, step, "Set-CASMailbox");

        Assert.False(Mailbox(harness, "finance")["ImapEnabled"]!.GetValue<bool>());
    }

    private static JsonObject AdeleMailbox(PlaybookHarness harness) => Mailbox(harness, "adele.vance");

    private static JsonObject Mailbox(PlaybookHarness harness, string name) =>
        harness.Tenant.State.Read(m => m.Exchange.Mailboxes.Single(x => (string?)x["Name"] == name).DeepClone().AsObject());
}
