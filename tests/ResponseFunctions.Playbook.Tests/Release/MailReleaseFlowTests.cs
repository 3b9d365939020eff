using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Release;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Release;

/// <summary>Case 5's release, item by item, in the real Durable Task engine (in-process), on the bec scenario.</summary>
public sealed class MailReleaseFlowTests
{
    [Fact]
    public async Task Release_Bec_EachDelegationIsItsOwnApproval_ARejectedOneStaysRemoved()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var contained = await harness.RunAsync(Mailboxes.Bec(), ApprovalVerdict.Approve);
        var approvals = new ScriptedApprovalChannel(ApprovalVerdict.Approve).On("5.f", ApprovalVerdict.Reject);

        var released = await ReleaseAsync(harness, contained, new ReleaseSelection(false, [new ReleaseItem(ActionId.Parse("5.f")), new ReleaseItem(ActionId.Parse("5.b"))]), approvals);

        Assert.Equal(3, approvals.Asked.Count(a => a.Action.Value == "5.f"));
        Assert.All(approvals.Asked, a => Assert.StartsWith("Release (undo ", a.Title, StringComparison.Ordinal));
        Assert.All(released.Steps.Where(s => s.Action.Value == "5.f"), s => Assert.Equal(ApprovalOutcome.Rejected, s.Approval));
        Assert.DoesNotContain(Mailboxes.Attacker, harness.Tenant.State.Read(m => m.Exchange.MailboxPermissions.Select(p => (string)p["User"]!).ToList()));
        Assert.Contains("Compliance journal copy", harness.Tenant.State.Read(m => m.Exchange.TransportRules.Select(r => (string)r["Name"]!).ToList()));
    }

    [Fact]
    public async Task Release_TransportRuleOfTheSameNameCreatedSince_IsNotOverwritten()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var contained = await harness.RunAsync(Mailboxes.Bec(), ApprovalVerdict.Approve);
        var exchange = (IExchangeOnline)harness.Services.GetService(typeof(IExchangeOnline))!;
        await exchange.InvokeAsync(ExchangeCommand.For("New-TransportRule").With("Name", "Compliance journal copy").With("Mode", "Audit").With("Confirm", false), CancellationToken.None);
        var rulesBefore = harness.Tenant.State.Read(m => m.Exchange.TransportRules.Select(r => r.ToJsonString()).ToList());

        var released = await ReleaseAsync(harness, contained, new ReleaseSelection(false, [new ReleaseItem(ActionId.Parse("5.b"))]), new ScriptedApprovalChannel(ApprovalVerdict.Approve));

        var step = Assert.Single(released.Steps);
        Assert.Equal(PlanStatus.NothingToDo, step.Plan);
        Assert.Equal(rulesBefore, harness.Tenant.State.Read(m => m.Exchange.TransportRules.Select(r => r.ToJsonString()).ToList()));
        Assert.Contains("exists again", harness.Journal.Entries.Single(e => e.Id == $"{released.InstanceId}/01/plan").Detail, StringComparison.Ordinal);
    }

    private static async Task<ReleaseReport> ReleaseAsync(PlaybookHarness harness, ContainmentReport contained, ReleaseSelection selection, ScriptedApprovalChannel approvals)
    {
        await using var engine = await harness.StartEngineAsync(approvals);
        return await engine.RunReleaseAsync(new ReleaseRequest(contained.IncidentId, contained.InstanceId, selection, "false positive", "tester@contoso.onmicrosoft.com"));
    }
}
