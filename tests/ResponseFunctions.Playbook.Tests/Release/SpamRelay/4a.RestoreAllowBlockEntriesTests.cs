using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Release.SpamRelay;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Release.SpamRelay;

/// <summary>Release of 4.a on the spam-relay scenario: the block entries this incident added go, the allow entries it removed come back.</summary>
public sealed class RestoreAllowBlockEntriesTests
{
    private const string IncidentNote = "Incident INC-SPAM-1 (containment 4.a)";

    [Fact]
    public async Task Release4a_AllApproved_UnblocksTheIncidentDomainsRecreatesTheAllowEntries_EachItemLinkedToTheOriginalStep()
    {
        var (harness, contained) = await SpamReleases.ContainAsync();
        await using var _ = harness;

        var released = await SpamReleases.ReleaseAsync(harness, contained, "4.a", new ScriptedApprovalChannel(ApprovalVerdict.Approve));

        var items = Items(harness);
        Assert.DoesNotContain(items, i => (string?)i["Notes"] == IncidentNote);
        Assert.Equal(["Sender Allow bulk-mailer.example", "Sender Allow partner.example", "Sender Allow promo-blast.example", "Sender Block spam-king.example", "Url Allow bulk-mailer.example/*"],
            items.Select(i => $"{i["ListType"]} {i["Action"]} {i["Value"]}").Order(StringComparer.Ordinal));
        Assert.All(items.Where(i => (string?)i["Value"] is "bulk-mailer.example" or "promo-blast.example"), i => Assert.Null(i["ExpirationDate"]));
        var original = $"{contained.InstanceId}/01/apply";
        Assert.Equal(
            [("unblock:Sender:bulk-mailer.example", original), ("unblock:Sender:cheap-pills.example", original), ("allow:Sender:bulk-mailer.example", original),
                ("allow:Sender:promo-blast.example", original), ("allow:Url:bulk-mailer.example/*", original)],
            SpamReleases.Applied(harness, released));
        Assert.All(released.Steps, s => Assert.Equal(VerifyOutcome.Verified, s.Verify));
    }

    [Fact]
    public async Task Release4a_BlockEntryReplacedSinceTheContainment_IsNotOverwritten_PlanShowsTheDifference()
    {
        var (harness, contained) = await SpamReleases.ContainAsync();
        await using var _ = harness;
        harness.Tenant.State.Mutate(m =>
        {
            var block = m.Exchange.TenantAllowBlockListItems.Single(i => (string?)i["Value"] == "cheap-pills.example");
            block["Notes"] = "Blocked for good by the mail team (CHG-2210)";
            block["LastModifiedDateTime"] = DateTimeOffset.UtcNow.AddMinutes(1).ToString("o");
        });

        var released = await SpamReleases.ReleaseAsync(harness, contained, "4.a", new ScriptedApprovalChannel(ApprovalVerdict.Approve));

        var step = released.Steps.Single(s => s.Index == 2);
        Assert.Equal(PlanStatus.NothingToDo, step.Plan);
        Assert.Contains("changed since the containment", SpamReleases.PlanDetail(harness, released, 2), StringComparison.Ordinal);
        Assert.Contains(Items(harness), i => (string?)i["Value"] == "cheap-pills.example" && (string?)i["Action"] == "Block" && ((string?)i["Notes"])!.Contains("CHG-2210", StringComparison.Ordinal));
        Assert.DoesNotContain(Items(harness), i => (string?)i["Value"] == "bulk-mailer.example" && (string?)i["Action"] == "Block");
    }

    [Fact]
    public async Task Release4a_UnblockRejected_TheAllowOfTheSameDomainFailsNamed_TheBlockStays()
    {
        var (harness, contained) = await SpamReleases.ContainAsync();
        await using var _ = harness;
        var approvals = new ChangeApprovals(r => r.Changes.Single() is RemoveIncidentBlockEntry { Value: "bulk-mailer.example" } ? ApprovalVerdict.Reject : ApprovalVerdict.Approve);

        var released = await SpamReleases.ReleaseAsync(harness, contained, "4.a", approvals);

        Assert.Equal(ApprovalOutcome.Rejected, released.Steps[0].Approval);
        var allow = released.Steps[2];
        Assert.Equal(ApplyOutcome.Failed, allow.Apply);
        Assert.Contains("Release its block entry first", allow.Error!.Message, StringComparison.Ordinal);
        Assert.Contains(Items(harness), i => (string?)i["Value"] == "bulk-mailer.example" && (string?)i["Action"] == "Block" && (string?)i["Notes"] == IncidentNote);
        Assert.Contains(Items(harness), i => (string?)i["Value"] == "promo-blast.example" && (string?)i["Action"] == "Allow");
    }

    private static List<JsonObject> Items(PlaybookHarness harness) =>
        harness.Tenant.State.Read(m => m.Exchange.TenantAllowBlockListItems.Select(i => i.DeepClone().AsObject()).ToList());
}
