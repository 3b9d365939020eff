using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Release.SpamRelay;

/// <summary>Release of 4.c on the spam-relay scenario: the Strict preset rule and the outbound spam policy back as journaled.</summary>
public sealed class RestoreAntiSpamSettingsTests
{
    [Fact]
    public async Task Release4c_AllApproved_PresetOffAndUnscopedAgain_OutboundLimitsBack_LinkedToTheOriginalStep()
    {
        var (harness, contained) = await SpamReleases.ContainAsync();
        await using var _ = harness;
        var writes = harness.Writes().Count;

        var released = await SpamReleases.ReleaseAsync(harness, contained, "4.c", new ScriptedApprovalChannel(ApprovalVerdict.Approve));

        var preset = harness.Tenant.State.Read(m => m.Exchange.EopProtectionPolicyRules[0].DeepClone().AsObject());
        Assert.Equal("Disabled", (string?)preset["State"]);
        Assert.True(preset["SentTo"] is null || preset["SentTo"]!.AsArray().Count == 0);
        var outbound = Outbound(harness);
        Assert.Equal(10000, outbound["RecipientLimitExternalPerHour"]!.GetValue<int>());
        Assert.Equal(10000, outbound["RecipientLimitPerDay"]!.GetValue<int>());
        Assert.Equal("Alert", (string?)outbound["ActionWhenThresholdReached"]);
        Assert.False(outbound["NotifyOutboundSpam"]!.GetValue<bool>());
        Assert.Equal([("strict-preset:EOP", $"{contained.InstanceId}/03/apply"), ("outbound-spam", $"{contained.InstanceId}/03/apply")], SpamReleases.Applied(harness, released));
        var cmdlets = harness.Writes().Skip(writes).Select(w => w.Body ?? string.Empty).ToList();
        Assert.True(cmdlets.FindIndex(b => b.Contains("Disable-EOPProtectionPolicyRule", StringComparison.Ordinal))
            < cmdlets.FindIndex(b => b.Contains("Set-EOPProtectionPolicyRule", StringComparison.Ordinal)), "switched off before its recipients are cleared");
    }

    [Fact]
    public async Task Release4c_OutboundPolicyChangedSinceTheContainment_IsNotOverwritten_ThePresetStillIs()
    {
        var (harness, contained) = await SpamReleases.ContainAsync();
        await using var _ = harness;
        harness.Tenant.State.Mutate(m => m.Exchange.HostedOutboundSpamFilterPolicies[0]["RecipientLimitPerDay"] = 300);

        var released = await SpamReleases.ReleaseAsync(harness, contained, "4.c", new ScriptedApprovalChannel(ApprovalVerdict.Approve));

        Assert.Equal(PlanStatus.NothingToDo, released.Steps[1].Plan);
        Assert.Contains(released.Steps[1].Warnings!, w => w.Contains("Changed since the containment", StringComparison.Ordinal));
        Assert.Equal(300, Outbound(harness)["RecipientLimitPerDay"]!.GetValue<int>());
        Assert.Equal(400, Outbound(harness)["RecipientLimitExternalPerHour"]!.GetValue<int>());
        Assert.Equal(ApplyOutcome.Applied, released.Steps[0].Apply);
    }

    private static JsonObject Outbound(PlaybookHarness harness) => harness.Tenant.State.Read(m => m.Exchange.HostedOutboundSpamFilterPolicies[0].DeepClone().AsObject());
}
