using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Release.SpamRelay;

/// <summary>Release of 4.b on the spam-relay scenario: spoof intelligence and each trusted sender/domain back, one approval each.</summary>
public sealed class RestoreAntiPhishSettingsTests
{
    [Fact]
    public async Task Release4b_AllApproved_RestoresSpoofIntelligenceAndEachTrustedEntry_LinkedToTheOriginalStep()
    {
        var (harness, contained) = await SpamReleases.ContainAsync();
        await using var _ = harness;
        var approvals = new ScriptedApprovalChannel(ApprovalVerdict.Approve);

        var released = await SpamReleases.ReleaseAsync(harness, contained, "4.b", approvals);

        Assert.Equal(3, approvals.Asked.Count);
        var policy = Policy(harness);
        Assert.False(policy["EnableSpoofIntelligence"]!.GetValue<bool>());
        Assert.Equal(["billing@cheap-pills.example", "ceo@partner.example"], Strings(policy, "ExcludedSenders"));
        Assert.Equal(["bulk-mailer.example", "partner.example"], Strings(policy, "ExcludedDomains"));
        Assert.All(SpamReleases.Applied(harness, released), a => Assert.Equal($"{contained.InstanceId}/02/apply", a.Original));
        Assert.Equal(["spoof-intelligence:Office365 AntiPhish Default", "trusted-sender:billing@cheap-pills.example:Office365 AntiPhish Default",
            "trusted-domain:bulk-mailer.example:Office365 AntiPhish Default"], SpamReleases.Applied(harness, released).Select(a => a.Item));
    }

    [Fact]
    public async Task Release4b_SpoofIntelligenceSwitchedSinceAndATrustedSenderAdded_NeitherIsOverwritten()
    {
        var (harness, contained) = await SpamReleases.ContainAsync();
        await using var _ = harness;
        await SpamReleases.Exchange(harness).InvokeAsync(ExchangeCommand.For("Set-AntiPhishPolicy").With("Identity", "Office365 AntiPhish Default")
            .With("EnableSpoofIntelligence", false).Modify("ExcludedSenders", add: ["payroll@partner.example"]), CancellationToken.None);

        var released = await SpamReleases.ReleaseAsync(harness, contained, "4.b", new ScriptedApprovalChannel(ApprovalVerdict.Approve));

        Assert.Equal(PlanStatus.NothingToDo, released.Steps[0].Plan);
        Assert.Contains("changed since the containment", SpamReleases.PlanDetail(harness, released, 1), StringComparison.Ordinal);
        var policy = Policy(harness);
        Assert.Equal(["billing@cheap-pills.example", "ceo@partner.example", "payroll@partner.example"], Strings(policy, "ExcludedSenders"));
        Assert.Equal(2, SpamReleases.Applied(harness, released).Count);
    }

    private static JsonObject Policy(PlaybookHarness harness) => harness.Tenant.State.Read(m => m.Exchange.AntiPhishPolicies[0].DeepClone().AsObject());

    private static IEnumerable<string> Strings(JsonObject policy, string name) => policy[name]!.AsArray().Select(n => (string)n!).Order(StringComparer.Ordinal);
}
