using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.SpamRelay;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.SpamRelay;

public sealed class StrengthenAntiSpamTests
{
    [Fact]
    public async Task StrengthenAntiSpam_SpamRelay_AppliesStrictPresetAndLowersOutboundLimits()
    {
        await using var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);
        var step = await harness.StepAsync("4.c", Mailboxes.SpamRelay());

        var plan = await harness.Activities.PlanStepAsync(step, default);
        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        var preset = harness.Tenant.State.Read(m => m.Exchange.EopProtectionPolicyRules[0].DeepClone().AsObject());
        Assert.Equal("Enabled", (string?)preset["State"]);
        Assert.Equal([Mailboxes.Megan, Mailboxes.Adele], preset["SentTo"]!.AsArray().Select(n => (string)n!));
        var outbound = harness.Tenant.State.Read(m => m.Exchange.HostedOutboundSpamFilterPolicies[0].DeepClone().AsObject());
        Assert.Equal(400, outbound["RecipientLimitExternalPerHour"]!.GetValue<int>());
        Assert.Equal(800, outbound["RecipientLimitPerDay"]!.GetValue<int>());
        Assert.Equal("BlockUser", (string?)outbound["ActionWhenThresholdReached"]);
        Assert.True(outbound["NotifyOutboundSpam"]!.GetValue<bool>());
        Assert.Equal(PlanStatus.NothingToDo, (await harness.Action("4.c").PlanAsync(step, default)).Status);
    }

    [Fact]
    public async Task StrengthenAntiSpam_LimitSetLowerThanPolicy_IsNeverRaised()
    {
        await using var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);
        harness.Tenant.State.Mutate(m => m.Exchange.HostedOutboundSpamFilterPolicies[0]["RecipientLimitPerDay"] = 100);
        var step = await harness.StepAsync("4.c", Mailboxes.SpamRelay());

        var plan = await harness.Action("4.c").PlanAsync(step, default);
        await harness.Action("4.c").ApplyAsync(step, plan, default);

        Assert.Equal(100, harness.Tenant.State.Read(m => m.Exchange.HostedOutboundSpamFilterPolicies[0]["RecipientLimitPerDay"]!.GetValue<int>()));
    }

    [Fact]
    public async Task StrengthenAntiSpam_PresetNeverConfigured_WarnsAndStillRestrictsOutbound()
    {
        await using var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);
        harness.Tenant.State.Mutate(m => m.Exchange.EopProtectionPolicyRules.Clear());
        var step = await harness.StepAsync("4.c", Mailboxes.SpamRelay());

        var plan = await harness.Action("4.c").PlanAsync(step, default);

        Assert.Contains(plan.Warnings, w => w.Contains("does not exist", StringComparison.Ordinal));
        Assert.Equal(["restrict-outbound-spam"], plan.Changes.Select(c => c.Kind));
    }

    // Source for the four tests below: Set-EOPProtectionPolicyRule / Set-ATPProtectionPolicyRule — conditions of different
    // kinds are ANDed, a rule with no recipient condition applies to everyone (example 2).
    [Fact]
    public async Task StrengthenAntiSpam_StrictPresetOnForEveryone_LeavesItForEveryone()
    {
        await using var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);
        harness.Tenant.State.Mutate(m => m.Exchange.EopProtectionPolicyRules[0]["State"] = "Enabled");
        var step = await harness.StepAsync("4.c", Mailboxes.SpamRelay());

        var plan = await harness.Activities.PlanStepAsync(step, default);
        await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        Assert.DoesNotContain(plan.Changes, c => c.Kind == "apply-strict-preset");
        Assert.All(Recipients, address => Assert.True(harness.Tenant.State.Read(m => m.Exchange.StrictPresetProtects(address)), address));
        Assert.DoesNotContain(harness.Writes(), w => w.Body!.Contains("Set-EOPProtectionPolicyRule", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StrengthenAntiSpam_StrictPresetScopedToADomain_NeverAddsSentToThatWouldNarrowIt()
    {
        await using var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);
        harness.Tenant.State.Mutate(m =>
        {
            m.Exchange.EopProtectionPolicyRules[0]["State"] = "Enabled";
            m.Exchange.EopProtectionPolicyRules[0]["RecipientDomainIs"] = new JsonArray("contoso.onmicrosoft.com");
        });
        var covered = Recipients.Where(a => harness.Tenant.State.Read(m => m.Exchange.StrictPresetProtects(a))).ToList();
        var step = await harness.StepAsync("4.c", Mailboxes.SpamRelay());

        var plan = await harness.Activities.PlanStepAsync(step, default);
        await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(Recipients.Count, covered.Count);
        Assert.All(covered, address => Assert.True(harness.Tenant.State.Read(m => m.Exchange.StrictPresetProtects(address)), address));
        Assert.Empty(harness.Tenant.State.Read(m => m.Exchange.EopProtectionPolicyRules[0]["SentTo"]!.AsArray()));
    }

    [Fact]
    public async Task StrengthenAntiSpam_AtRiskUserExceptedFromAnEveryoneRule_TakesOnlyThatExceptionOut()
    {
        await using var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);
        harness.Tenant.State.Mutate(m =>
        {
            m.Exchange.EopProtectionPolicyRules[0]["State"] = "Enabled";
            m.Exchange.EopProtectionPolicyRules[0]["ExceptIfSentTo"] = new JsonArray(Mailboxes.Adele, Mailboxes.Finance);
        });
        var step = await harness.StepAsync("4.c", Mailboxes.SpamRelay());

        var plan = await harness.Activities.PlanStepAsync(step, default);
        await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);
        var verify = await harness.Activities.VerifyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(VerifyOutcome.Verified, verify.Outcome);
        var rule = harness.Tenant.State.Read(m => m.Exchange.EopProtectionPolicyRules[0].DeepClone().AsObject());
        Assert.Equal([Mailboxes.Finance], rule["ExceptIfSentTo"]!.AsArray().Select(n => (string)n!));
        Assert.Empty(rule["SentTo"]!.AsArray());
        Assert.True(harness.Tenant.State.Read(m => m.Exchange.StrictPresetProtects(Mailboxes.Adele)));
        Assert.True(harness.Tenant.State.Read(m => m.Exchange.StrictPresetProtects(Mailboxes.Scanner)));
    }

    [Fact]
    public async Task StrengthenAntiSpam_DefenderPresetRule_IsWidenedAndSwitchedOnLikeTheEopRule()
    {
        await using var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);
        harness.Tenant.State.Mutate(m => m.Exchange.AtpProtectionPolicyRules.Add(new JsonObject
        {
            ["Identity"] = "Strict Preset Security Policy", ["Name"] = "Strict Preset Security Policy", ["State"] = "Disabled", ["Priority"] = 0,
            ["SentTo"] = new JsonArray(Mailboxes.Finance),
        }));
        var step = await harness.StepAsync("4.c", Mailboxes.SpamRelay());

        var plan = await harness.Activities.PlanStepAsync(step, default);
        await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        var atp = harness.Tenant.State.Read(m => m.Exchange.AtpProtectionPolicyRules[0].DeepClone().AsObject());
        Assert.Equal("Enabled", (string?)atp["State"]);
        Assert.Equal([Mailboxes.Finance, Mailboxes.Megan, Mailboxes.Adele], atp["SentTo"]!.AsArray().Select(n => (string)n!));
        Assert.All([Mailboxes.Megan, Mailboxes.Adele], a => Assert.True(harness.Tenant.State.Read(m => m.Exchange.StrictPresetProtects(a)), a));
        Assert.Equal(PlanStatus.NothingToDo, (await harness.Action("4.c").PlanAsync(step, default)).Status);
    }

    // Source: Set-HostedOutboundSpamFilterPolicy — NotifyOutboundSpam/NotifyOutboundSpamRecipients are superseded by the
    // default alert policy "User restricted from sending email"; that policy lives in Security & Compliance (Get-ProtectionAlert),
    // not in the Exchange Online cmdlet list this client speaks, so the plan asks the responder to confirm it.
    [Fact]
    public async Task StrengthenAntiSpam_OutboundNotification_NamesTheAlertPolicyThatSupersedesIt()
    {
        await using var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);
        var step = await harness.StepAsync("4.c", Mailboxes.SpamRelay());

        var plan = await harness.Action("4.c").PlanAsync(step, default);

        Assert.Contains(plan.Warnings, w => w.Contains("User restricted from sending email", StringComparison.Ordinal) && w.Contains("superseded", StringComparison.Ordinal));
        Assert.DoesNotContain(harness.Tenant.Requests.Snapshot(), r => r.Body?.Contains("ProtectionAlert", StringComparison.Ordinal) == true);
    }

    /// <summary>The spam-relay tenant simulates no mailboxes (only protection settings): these addresses stand for its recipients.</summary>
    private static readonly List<string> Recipients = [Mailboxes.Adele, Mailboxes.Megan, Mailboxes.Finance, Mailboxes.Scanner];

    [Fact]
    public async Task StrengthenAntiSpam_Contract_AppliesOnceThenSendsNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);
        var step = await harness.StepAsync("4.c", Mailboxes.SpamRelay());

        var run = await ActionContract.AppliesOnceThenNothingAsync(harness, step);

        var preset = Assert.IsType<ApplyStrictPreset>(run.Plan.Changes[0]);
        Assert.Equal("EOP", preset.ResourceId);
        Assert.Equal([Mailboxes.Megan, Mailboxes.Adele], preset.Add);
        Assert.IsType<RestrictOutboundSpam>(run.Plan.Changes[1]);
    }

    [Fact]
    public async Task StrengthenAntiSpam_OutboundSetForbidden_FailureKeptOnItsChange_PresetStillApplied()
    {
        await using var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);
        var step = await harness.StepAsync("4.c", Mailboxes.SpamRelay());

        var result = await ActionContract.PermanentFailureOfCmdletKeptOnTheChangeAsync(harness, step, "Set-HostedOutboundSpamFilterPolicy");

        Assert.Equal(ApplyOutcome.PartiallyApplied, result.Outcome);
        Assert.Equal([ChangeOutcome.Done, ChangeOutcome.Failed], result.Changes.Select(c => c.Outcome));
        Assert.StartsWith("exchange:Set-HostedOutboundSpamFilterPolicy:", result.Changes[1].Error!.Code, StringComparison.Ordinal);
        Assert.Equal(10000, harness.Tenant.State.Read(m => m.Exchange.HostedOutboundSpamFilterPolicies[0]["RecipientLimitPerDay"]!.GetValue<int>()));
    }

    [Fact]
    public async Task StrengthenAntiSpam_ServiceUnavailable_RethrownForTheEngine_RetryCompletes()
    {
        await using var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);
        var step = await harness.StepAsync("4.c", Mailboxes.SpamRelay());

        await ActionContract.TransientFailureOfCmdletRethrownThenRetriedAsync(harness, step, "Set-HostedOutboundSpamFilterPolicy");
    }
}
