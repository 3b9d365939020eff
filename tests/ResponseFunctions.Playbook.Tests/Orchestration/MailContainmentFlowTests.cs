using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;
using ResponseFunctions.SimulatedTenant;

namespace ResponseFunctions.Playbook.Tests.Orchestration;

/// <summary>Cases 4 and 5 end to end in the real Durable Task engine (in-process), the orchestrator Azure Functions runs.</summary>
public sealed class MailContainmentFlowTests
{
    [Fact]
    public async Task Bec_AllApproved_EveryIllegitimateItemGone_EveryLegitimateOneKept()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);

        var report = await harness.RunAsync(Mailboxes.Bec(), ApprovalVerdict.Approve);

        Assert.Equal(ContainmentPhase.Completed, report.Phase);
        Assert.All(report.Steps, s => Assert.True(s.Plan == PlanStatus.NothingToDo || (s.Apply == ApplyOutcome.Applied && s.Verify == VerifyOutcome.Verified), $"{s.Action}: {s.Summary}"));
        var state = harness.Tenant.State;
        Assert.Equal(["Newsletters", "Junk E-Mail Rule"], state.Read(m => m.Exchange.InboxRules.Select(r => (string)r["Name"]!).ToList()));
        Assert.Contains("Legal disclaimer", state.Read(m => m.Exchange.TransportRules.Select(r => (string)r["Name"]!).ToList()));
        Assert.DoesNotContain("Compliance journal copy", state.Read(m => m.Exchange.TransportRules.Select(r => (string)r["Name"]!).ToList()));
        Assert.DoesNotContain(Mailboxes.Attacker, state.Read(m => m.Exchange.MailboxPermissions.Select(p => (string)p["User"]!).ToList()));
        Assert.Equal(3, state.Read(m => m.Exchange.MailboxPermissions.Count(p => (string?)p["User"] != "NT AUTHORITY\\SELF")));
        Assert.False(state.Read(m => m.FindUser(Mailboxes.FinanceUserId)!.AccountEnabled));
        Assert.True(state.Read(m => m.Exchange.TransportConfig["SmtpClientAuthenticationDisabled"]!.GetValue<bool>()));
        Assert.Equal(["5.a", "5.b", "5.c", "5.d", "5.e", "5.f", "5.f"],
            harness.Journal.Entries.Where(e => e.Outcome.StartsWith("apply:", StringComparison.Ordinal)).Select(e => e.Action));
    }

    [Fact]
    public async Task Bec_SecondContainment_FindsNothingLeftToDo_AndKeepsItsOwnAttachmentRule()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        await harness.RunAsync(Mailboxes.Bec(), ApprovalVerdict.Approve);

        var again = await harness.RunAsync(Mailboxes.Bec() with { IncidentId = "INC-BEC-2" }, ApprovalVerdict.Approve);

        Assert.All(again.Steps, s => Assert.Equal(PlanStatus.NothingToDo, s.Plan));
        Assert.Contains("ResponseFunctions - block incident attachment extensions",
            harness.Tenant.State.Read(m => m.Exchange.TransportRules.Select(r => (string)r["Name"]!).ToList()));
    }

    [Fact]
    public async Task Bec_AllRejected_ChangesNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var before = harness.Tenant.ExportStateJson();

        var report = await harness.RunAsync(Mailboxes.Bec(), ApprovalVerdict.Reject);

        Assert.All(report.Steps, s => Assert.Null(s.Apply));
        Assert.Equal(before, harness.Tenant.ExportStateJson());
        Assert.All(harness.Writes(), w => Assert.Contains("\"CmdletName\":\"Get-", w.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SpamRelay_AllApproved_RestoresAndStrengthens_KeepsThePartnerEntries()
    {
        await using var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);

        var report = await harness.RunAsync(Mailboxes.SpamRelay(), ApprovalVerdict.Approve);

        Assert.Equal(["4.a", "4.b", "4.c"], report.Steps.Select(s => s.Action.Value));
        Assert.All(report.Steps, s => Assert.Equal(VerifyOutcome.Verified, s.Verify));
        var state = harness.Tenant.State;
        Assert.Contains("partner.example", state.Read(m => m.Exchange.TenantAllowBlockListItems.Where(i => (string?)i["Action"] == "Allow").Select(i => (string)i["Value"]!).ToList()));
        Assert.Single(state.Read(m => m.Exchange.TenantAllowBlockListItems.Where(i => (string?)i["Action"] == "Allow").ToList()));
        Assert.True(state.Read(m => m.Exchange.AntiPhishPolicies[0]["EnableSpoofIntelligence"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task SpamRelay_ExchangeUnavailableTwice_ClientRetriesAndEveryStepSucceeds()
    {
        await using var harness = await PlaybookHarness.StartAsync("spam-relay", Mailboxes.SpamRelayPolicy);
        harness.Tenant.Faults.Add(new FaultRule("POST", "/InvokeCommand", 503, Times: 2));

        var report = await harness.RunAsync(Mailboxes.SpamRelay(), ApprovalVerdict.Approve);

        Assert.All(report.Steps, s => Assert.Equal(VerifyOutcome.Verified, s.Verify));
        Assert.Equal(2, harness.Tenant.Requests.Snapshot().Count(r => r.StatusCode == 503));
    }

    [Fact]
    public async Task Bec_ExchangeForbidden_StepFailsWithTheExchangeErrorAndTheOthersRun()
    {
        // One step at a time: the fault takes the first Exchange call, and this test is about what a 403 does, not about
        // which of several concurrent plans reaches Exchange first.
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy, engine: e => (e.MaxParallelSteps, e.MaxParallelWaves) = (1, 1));
        harness.Tenant.Faults.Add(new FaultRule("POST", "/InvokeCommand", 403, Times: 1));

        var report = await harness.RunAsync(Mailboxes.Bec(), ApprovalVerdict.Approve);

        var failed = report.Steps[0];
        Assert.Equal(PlanStatus.Failed, failed.Plan);
        Assert.Equal(ErrorKind.Forbidden, failed.Error!.Kind);
        // 5.a reads the mailbox's rules first (the runner reads, then the action plans with the accepted domains).
        Assert.StartsWith("exchange:Get-InboxRule", failed.Error.Code, StringComparison.Ordinal);
        Assert.Equal(ApplyOutcome.Applied, report.Steps.Single(s => s.Action.Value == "5.b").Apply);
    }
}
