using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.MailDataLeak;

/// <summary>Case 5 actions, each planned, applied and verified through the real clients against the "bec" tenant.</summary>
public sealed class MailDataLeakTests
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
    public async Task BlockSharedMailboxSignIn_Bec_DisablesTheFinanceAccountAndItsDirectProtocols()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var step = await harness.StepAsync("5.c", Mailboxes.Bec());

        var plan = await harness.Activities.PlanStepAsync(step, default);
        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.False(harness.Tenant.State.Read(m => m.FindUser(Mailboxes.FinanceUserId)!.AccountEnabled));
        Assert.Equal(1, harness.Tenant.Requests.Count("PATCH", $"/users/{Mailboxes.FinanceUserId}"));
        var finance = Mailbox(harness, "finance");
        Assert.All(new[] { "MAPIEnabled", "OWAEnabled", "ImapEnabled", "PopEnabled", "EwsEnabled", "ActiveSyncEnabled" }, p => Assert.False(finance[p]!.GetValue<bool>()));
        Assert.True(harness.Tenant.State.Read(m => m.FindUser(Contoso.Adele)!.AccountEnabled));
        Assert.Equal(PlanStatus.NothingToDo, (await harness.Action("5.c").PlanAsync(step, default)).Status);
    }

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

    /// <summary>InvokeCommand is always a POST: a Get-* body is a read.</summary>
    internal static bool IsRead(string? body) => body?.Contains("\"CmdletName\":\"Get-", StringComparison.Ordinal) == true;
}
