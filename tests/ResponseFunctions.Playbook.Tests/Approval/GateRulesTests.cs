using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.Playbook.Requests;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Approval;

/// <summary>Two-person approval of tier-0 steps and the timeout policy, through the whole containment on the simulated tenant.</summary>
public sealed class GateRulesTests
{
    private static readonly ContainmentRequest HighSeverity = PlaybookHarness.Request() with { Severity = IncidentSeverity.High };

    [Fact]
    public async Task TwoPersonStep_SamePersonApprovesTwice_NotApplied()
    {
        await using var harness = await PlaybookHarness.StartAsync(configure: p => p.TwoPersonActions = ["1.e"]);
        var approvals = new QueuedApprovalChannel().On("1.e", (ApprovalVerdict.Approve, "bob@contoso.com"), (ApprovalVerdict.Approve, "bob@contoso.com"));

        var report = await harness.RunAsync(HighSeverity, approvals);

        var step = Assert.Single(report.Steps, s => s.Action.Value == "1.e");
        Assert.Equal(ApprovalOutcome.TimedOut, step.Approval);
        Assert.Null(step.Apply);
        Assert.Equal(2, Assert.Single(approvals.Asked.Where(a => a.Action.Value == "1.e").Select(a => a.RequiredApprovals).Distinct()));
        Assert.Contains(harness.Journal.Entries, e => e.Action == "1.e" && e.Outcome == ApprovalFollowUps.AwaitingSecondApprover && e.Actor == "bob@contoso.com");
        Assert.Contains(harness.Journal.Entries, e => e.Action == "1.e" && e.Outcome == "approval:timed-out" && e.Detail.Contains("Only 1 of 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoPersonStep_TwoDifferentApprovers_AppliedAndBothJournaled()
    {
        await using var harness = await PlaybookHarness.StartAsync(configure: p => p.TwoPersonActions = ["1.e"]);
        var approvals = new QueuedApprovalChannel().On("1.e", (ApprovalVerdict.Approve, "bob@contoso.com"), (ApprovalVerdict.Approve, "carol@contoso.com"));

        var report = await harness.RunAsync(HighSeverity, approvals);

        var step = Assert.Single(report.Steps, s => s.Action.Value == "1.e");
        Assert.Equal(ApprovalOutcome.Approved, step.Approval);
        Assert.Equal(ApplyOutcome.Applied, step.Apply);
        Assert.Equal("bob@contoso.com + carol@contoso.com", step.DecidedBy);
    }

    [Fact]
    public async Task TwoPersonStep_SecondApprovalFromAFunctionKey_NotCountedAndNothingChanged()
    {
        await using var harness = await PlaybookHarness.StartAsync(configure: p => p.TwoPersonActions = ["1.e"]);
        var approvals = new QueuedApprovalChannel().On("1.e", (ApprovalVerdict.Approve, "bob@contoso.com"), (ApprovalVerdict.Approve, ApprovalDecision.FunctionKeyIdentity));

        var report = await harness.RunAsync(HighSeverity, approvals);

        var step = Assert.Single(report.Steps, s => s.Action.Value == "1.e");
        Assert.Equal(ApprovalOutcome.TimedOut, step.Approval);
        Assert.Null(step.Apply);
        Assert.DoesNotContain(harness.Tenant.Requests.Find(null, "/identity/conditionalAccess"), r => r.Method is "POST" or "PATCH" or "DELETE");
    }

    [Fact]
    public async Task TwoPersonStep_SecondPersonRejects_Rejected()
    {
        await using var harness = await PlaybookHarness.StartAsync(configure: p => p.TwoPersonActions = ["1.e"]);
        var approvals = new QueuedApprovalChannel().On("1.e", (ApprovalVerdict.Approve, "bob@contoso.com"), (ApprovalVerdict.Reject, "carol@contoso.com"));

        var report = await harness.RunAsync(HighSeverity, approvals);

        var step = Assert.Single(report.Steps, s => s.Action.Value == "1.e");
        Assert.Equal(ApprovalOutcome.Rejected, step.Approval);
        Assert.Null(step.Apply);
    }

    [Fact]
    public void TwoPersonRule_1fWithoutGlobalAdministrator_NeedsOneApprover()
    {
        var change = new ResponseFunctions.Playbook.Cases.RemoveRoleAssignment("ra-1", "Remove Helpdesk Administrator", "729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator", "/");
        var globalAdmin = change with { RoleDefinitionId = "62e90394-69f5-4237-9190-012177145e10" };
        var rule = new[] { ActionId.Parse("1.f") };

        Assert.Equal(1, TwoPersonRule.RequiredApprovals(ActionId.Parse("1.f"), [change], rule));
        Assert.Equal(2, TwoPersonRule.RequiredApprovals(ActionId.Parse("1.f"), [change, globalAdmin], rule));
    }

    [Fact]
    public async Task Timeout_ApplyPolicyForTheIncidentsSeverity_AppliedAndJournaledAsTimedOutApplied()
    {
        await using var harness = await PlaybookHarness.StartAsync(configure: p =>
            p.TimeoutPolicy["1.b"] = new TimeoutRule { OnTimeout = TimeoutAction.Apply, Severities = [IncidentSeverity.High] });
        var approvals = new QueuedApprovalChannel().On("1.b");

        var report = await harness.RunAsync(HighSeverity, approvals);

        var step = Assert.Single(report.Steps, s => s.Action.Value == "1.b");
        Assert.Equal(ApprovalOutcome.PreApproved, step.Approval);
        Assert.Equal(ApplyOutcome.Applied, step.Apply);
        Assert.Equal(TimeoutAction.Apply, approvals.Asked.Single(a => a.Action.Value == "1.b").OnTimeout);
        var entry = Assert.Single(harness.Journal.Entries, e => e.Action == "1.b" && e.Outcome.StartsWith("approval:", StringComparison.Ordinal));
        Assert.Equal("approval:timed-out-applied", entry.Outcome);
        Assert.Contains("TimeoutPolicy", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeout_ApplyPolicyForAnotherSeverity_AbortedNotApplied()
    {
        await using var harness = await PlaybookHarness.StartAsync(configure: p =>
            p.TimeoutPolicy["1.b"] = new TimeoutRule { OnTimeout = TimeoutAction.Apply, Severities = [IncidentSeverity.High] });
        var approvals = new QueuedApprovalChannel().On("1.b");

        var report = await harness.RunAsync(HighSeverity with { Severity = IncidentSeverity.Medium }, approvals);

        var step = Assert.Single(report.Steps, s => s.Action.Value == "1.b");
        Assert.Equal(ApprovalOutcome.TimedOut, step.Approval);
        Assert.Null(step.Apply);
        Assert.Contains(harness.Journal.Entries, e => e.Action == "1.b" && e.Outcome == "approval:timed-out" && e.Detail.Contains("not applied", StringComparison.Ordinal));
    }
}
