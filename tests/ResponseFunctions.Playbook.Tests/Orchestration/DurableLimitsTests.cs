using System.Text.Json;
using ResponseFunctions.InProcess;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Intake.Reporting;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Tests.Orchestration;

/// <summary>
/// What goes into Durable's custom status and history stays within Durable's limits whatever the incident's size:
/// measured here for a password spray of 1,000 accounts, in the wire format the isolated worker uses.
/// </summary>
public sealed class DurableLimitsTests
{
    /// <summary>Durable refuses custom status above 16 KB of UTF-16 text (azure-functions-durable-extension #3113).</summary>
    private const int MaxCustomStatusChars = 8_192;

    /// <summary>One step's activity input, whatever the incident: the step itself, never every target of the incident.</summary>
    private const int MaxStepInputChars = 1_024;

    [Fact]
    public void CustomStatus_ThousandAccountsEveryDecisionPending_StaysUnderDurablesLimit()
    {
        var (request, steps) = Incident(users: 1_000);
        var reports = steps.Select(s => new StepReport(s.Index, s.Action, ActionCatalog.Get(s.Action).Title, ActionCatalog.Get(s.Action).Priority, s.Target,
            Plan: PlanStatus.ChangeRequired, Summary: new string('x', 300))).ToList();
        var pending = steps.Select(s => Approval(s)).ToList();

        var status = JsonSerializer.Serialize(ContainmentStatus.Of(request, ContainmentPhase.Containing, reports, pending), InProcessEngine.WorkerWireFormat);

        Assert.True(steps.Count > 6_000, $"{steps.Count} steps");
        Assert.True(status.Length < MaxCustomStatusChars, $"custom status of {status.Length} characters");
        Assert.Contains("\"PendingCount\":" + pending.Count, status, StringComparison.Ordinal);
    }

    /// <summary>The service's bound on a comment message, which the reporter enforces too: the comment must fit whole, not be cut mid-list.</summary>
    private const int MaxCommentChars = 30_000;

    [Theory]
    [InlineData(IncidentPhase.Plan)]
    [InlineData(IncidentPhase.Decisions)]
    [InlineData(IncidentPhase.Results)]
    public void IncidentComment_ThousandAccounts_FitsWholeAndCountsWhatItDoesNotList(IncidentPhase phase)
    {
        var (_, steps) = Incident(users: 1_000);
        var reports = steps.Select(s => new StepReport(s.Index, s.Action, ActionCatalog.Get(s.Action).Title, ActionCatalog.Get(s.Action).Priority, s.Target,
            Plan: PlanStatus.ChangeRequired, Summary: new string('x', 200), Approval: ApprovalOutcome.Approved, DecidedBy: "alice", Apply: ApplyOutcome.Applied, Verify: VerifyOutcome.Verified)).ToList();
        var report = new ContainmentReport(steps[0].InstanceId, "INC-SPRAY", ContainmentMode.Contain, ContainmentPhase.Completed, reports, [], []);

        var comment = IncidentComments.For(report.InstanceId, "/subscriptions/x/providers/Microsoft.SecurityInsights/incidents/1", phase, report).Message;

        Assert.True(comment.Length < MaxCommentChars, $"{phase} comment of {comment.Length} characters");
        Assert.Equal(IncidentComments.MaxListedSteps + 1, System.Text.RegularExpressions.Regex.Count(comment, "<li>1\\.a "));
        Assert.Contains($"and {steps.Count - IncidentComments.MaxListedSteps} more steps", comment, StringComparison.Ordinal);
    }

    [Fact]
    public void StepInputs_ThousandAccounts_AreTheSizeOfOneAccountsAndCarryNoOtherTarget()
    {
        var (_, one) = Incident(users: 1);
        var (_, thousand) = Incident(users: 1_000);

        var largest = thousand.Max(s => JsonSerializer.Serialize(s, InProcessEngine.WorkerWireFormat).Length);

        Assert.True(largest < MaxStepInputChars, $"largest step input: {largest} characters");
        // Only the step's own index grows (7 → 7001): nothing of the other 999 targets rides along.
        Assert.InRange(largest - one.Max(s => JsonSerializer.Serialize(s, InProcessEngine.WorkerWireFormat).Length), 0, 8);
        Assert.DoesNotContain("user-0999", JsonSerializer.Serialize(thousand[0], InProcessEngine.WorkerWireFormat), StringComparison.Ordinal);
    }

    [Fact]
    public void StepInput_ReadBackFromHistory_HasNoScopeUntilAnActivityAttachesIt()
    {
        var (_, steps) = Incident(users: 3);

        var replayed = JsonSerializer.Deserialize<StepContext>(JsonSerializer.Serialize(steps[0], InProcessEngine.WorkerWireFormat), InProcessEngine.WorkerWireFormat)!;

        Assert.False(replayed.HasScope);
        Assert.Equal(steps[0].Target, replayed.Target);
        Assert.Throws<InvalidOperationException>(() => replayed.Scope);
        Assert.Contains("HasScope = False", replayed.ToString(), StringComparison.Ordinal);
    }

    private static (ContainmentRequest Request, IReadOnlyList<StepContext> Steps) Incident(int users)
    {
        var targets = Enumerable.Range(0, users).Select(i => new ActionTarget(TargetKind.User, $"00000000-0000-4000-8000-{i:000000000000}", $"user-{i:0000}@contoso.onmicrosoft.com")).ToList();
        var scope = new IncidentScope("INC-SPRAY", "Password spray", DateTimeOffset.UtcNow, targets, ["185.220.101.45/32"], ["RU"]);
        var request = new ContainmentRequest("INC-SPRAY", [CaseId.CompromisedAccount],
            new ContainmentTargets([.. targets.Select(t => t.Name)], ["185.220.101.45/32"], ["RU"]), ContainmentMode.Contain, "Password spray", "soc@contoso.onmicrosoft.com");
        return (request, StepSequence.For(InstanceIds.ForIncident("INC-SPRAY"), [CaseId.CompromisedAccount], scope));
    }

    private static ApprovalRequest Approval(StepContext step) =>
        new(ApprovalRequest.IdFor(step.Index, step.Action), step.InstanceId, step.IncidentId, step.Index, step.Action, ActionCatalog.Get(step.Action).Title, step.Target,
            "summary", [], [], [], true, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(30));
}
