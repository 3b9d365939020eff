using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Release;
using ResponseFunctions.Playbook.Requests;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Release;

/// <summary>
/// A mail release never gives sign-in, protocols or a delegation back to a principal another open containment holds:
/// the item is refused at plan ("held by containment …"), nobody is asked, nothing is written.
/// </summary>
public sealed class MailHeldByAnotherContainmentTests
{
    [Fact]
    public async Task Release5c_SharedMailboxHeldByAnotherOpenContainment_IsRefused_ItsSignInStaysOff_OtherMailboxesStillRestored()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var contained = await harness.RunAsync(Mailboxes.Bec(), ApprovalVerdict.Approve);
        await harness.RunAsync(Other(new ContainmentTargets([], [], []) { Mailboxes = [Mailboxes.Finance] }), ApprovalVerdict.Reject);
        var approvals = new ScriptedApprovalChannel(ApprovalVerdict.Approve);

        var released = await ReleaseAsync(harness, contained, ["5.c", "5.d"], approvals);

        var financeSteps = released.Steps.Where((s, i) => released.Originals[i].Item == Mailboxes.Finance).ToList();
        Assert.Equal(["5.c"], financeSteps.Select(s => s.Action.Value));
        Assert.All(financeSteps, s => Assert.Equal(PlanStatus.Refused, s.Plan));
        Assert.DoesNotContain(approvals.Asked, a => a.Summary.Contains(Mailboxes.Finance, StringComparison.Ordinal));
        Assert.False(harness.Tenant.State.Read(m => m.FindUser(Mailboxes.FinanceUserId)!.AccountEnabled));
        var plan = harness.Journal.Entries.Single(e => e.Id == $"{released.InstanceId}/{financeSteps[0].Index:00}/plan");
        Assert.Contains("held by containment containment-inc-bec-2", plan.Detail, StringComparison.Ordinal);
        Assert.Contains(released.Steps.Where((s, i) => released.Originals[i].Item == Mailboxes.Adele), s => s.Action.Value == "5.d" && s.Apply == ApplyOutcome.Applied);
    }

    [Fact]
    public async Task Release5f_TrusteeHeldAsCompromisedByAnotherOpenContainment_NoDelegationIsRegranted()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var contained = await harness.RunAsync(Mailboxes.Bec(), ApprovalVerdict.Approve);
        await harness.RunAsync(Other(new ContainmentTargets([Mailboxes.Attacker], [], [])), ApprovalVerdict.Reject);
        var writes = harness.Writes().Count;
        var approvals = new ScriptedApprovalChannel(ApprovalVerdict.Approve);

        var released = await ReleaseAsync(harness, contained, ["5.f"], approvals);

        Assert.Equal(3, released.Steps.Count);
        Assert.All(released.Steps, s => Assert.Equal(PlanStatus.Refused, s.Plan));
        Assert.All(released.Originals, o => Assert.EndsWith(":" + Mailboxes.Attacker, o.Item, StringComparison.Ordinal));
        Assert.Empty(approvals.Asked);
        Assert.DoesNotContain(harness.Writes().Skip(writes), w => w.Body?.Contains("Add-", StringComparison.Ordinal) == true || w.Body?.Contains("Set-Mailbox", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(Mailboxes.Attacker, harness.Tenant.State.Read(m => m.Exchange.MailboxPermissions.Select(p => (string)p["User"]!).ToList()));
        Assert.All(released.Steps, s => Assert.Contains($"which holds {Mailboxes.Attacker}",
            harness.Journal.Entries.Single(e => e.Id == $"{released.InstanceId}/{s.Index:00}/plan").Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Release5f_TrusteeJournaledByAliasHeldByAnotherContainmentByUpn_IsRefused_NotRegranted()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        // Exchange names the trustee by its alias ("scanner"); the other containment holds the mailbox by UPN.
        harness.Tenant.State.Mutate(m => m.Exchange.MailboxPermissions.Add(new JsonObject
        {
            ["Identity"] = Mailboxes.Finance, ["User"] = "scanner", ["AccessRights"] = new JsonArray("FullAccess"), ["IsInherited"] = false, ["Deny"] = false,
        }));
        var contained = await harness.RunAsync(Mailboxes.Bec(), ApprovalVerdict.Approve);
        Assert.DoesNotContain("scanner", harness.Tenant.State.Read(m => m.Exchange.MailboxPermissions.Select(p => (string)p["User"]!).ToList()));
        await harness.RunAsync(Other(new ContainmentTargets([], [], []) { Mailboxes = [Mailboxes.Scanner] }), ApprovalVerdict.Reject);
        var approvals = new ScriptedApprovalChannel(ApprovalVerdict.Approve);

        var released = await ReleaseAsync(harness, contained, ["5.f"], approvals);

        var index = released.Originals.ToList().FindIndex(o => o.Item == "FullAccess:scanner");
        Assert.Equal(PlanStatus.Refused, released.Steps[index].Plan);
        Assert.Contains("held by containment containment-inc-bec-2", harness.Journal.Entries.Single(e => e.Id == $"{released.InstanceId}/{released.Steps[index].Index:00}/plan").Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("scanner", harness.Tenant.State.Read(m => m.Exchange.MailboxPermissions.Select(p => (string)p["User"]!).ToList()));
        Assert.Contains(released.Steps, s => s.Plan != PlanStatus.Refused);
    }

    private static ContainmentRequest Other(ContainmentTargets targets) =>
        new("INC-BEC-2", [CaseId.MailDataLeak], targets, ContainmentMode.Contain, "another incident, still open", "tester@contoso.onmicrosoft.com");

    private static async Task<ReleaseReport> ReleaseAsync(PlaybookHarness harness, ContainmentReport contained, string[] actions, ScriptedApprovalChannel approvals)
    {
        await using var engine = await harness.StartEngineAsync(approvals);
        return await engine.RunReleaseAsync(new ReleaseRequest(contained.IncidentId, contained.InstanceId,
            new ReleaseSelection(false, [.. actions.Select(a => new ReleaseItem(ActionId.Parse(a)))]), "false positive", "tester@contoso.onmicrosoft.com")
        {
            OpenIncidents = ["INC-BEC-2"],
        });
    }
}
