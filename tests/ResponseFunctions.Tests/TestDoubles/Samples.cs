using System.Text.Json;
using Microsoft.DurableTask.Client;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Tests.TestDoubles;

/// <summary>Playbook values shaped as a running containment would produce them.</summary>
internal static class Samples
{
    public const string InstanceId = "containment-inc-42";
    public const string IncidentId = "INC-42";
    public static readonly DateTime Now = new(2025, 3, 14, 9, 30, 0, DateTimeKind.Utc);

    public static ActionTarget Alice { get; } = new(TargetKind.User, "6f1c3f4e-8f6b-4e8e-9d43-3c0f7c1d2a11", "alice@contoso.com");

    public static ContainmentRequest Request(ContainmentMode mode = ContainmentMode.Contain) =>
        new(IncidentId, [CaseId.CompromisedAccount], new ContainmentTargets(["alice@contoso.com"], [], []), mode, "Phished credentials", "analyst@contoso.com");

    public static IncidentScope Scope { get; } = new(IncidentId, "Phished credentials", new DateTimeOffset(Now), [Alice], [], []);

    public static StepContext Step(int index = 1, string action = "1.a") => new(InstanceId, IncidentId, index, ActionId.Parse(action), Alice) { Scope = Scope };

    public static PreparedContainment Prepared(params StepContext[] steps) =>
        new(Scope, [], steps, new ApprovalRules(TimeSpan.FromMinutes(30), []), "ResponseFunctions");

    public static ApprovalRequest Approval(string requestId = "01-1a") =>
        new(requestId, InstanceId, IncidentId, 1, ActionId.Parse("1.a"), "Reset password", Alice, "Reset the password of alice@contoso.com.",
            [], [], [], false, new DateTimeOffset(Now), new DateTimeOffset(Now.AddMinutes(30)));

    public static ContainmentReport Report(params ApprovalRequest[] pending) =>
        new(InstanceId, IncidentId, ContainmentMode.Contain, ContainmentPhase.Containing,
            [new StepReport(1, ActionId.Parse("1.a"), "Reset password", Priority.P0, Alice, Plan: PlanStatus.ChangeRequired)], [], pending);

    /// <summary>An instance as the client returns it; its small status stored as the worker's default serializer would (PascalCase, numeric enums).</summary>
    public static OrchestrationMetadata Instance(OrchestrationRuntimeStatus status, ContainmentReport? report = null) =>
        new(ContainmentOrchestrator.Name, InstanceId)
        {
            RuntimeStatus = status,
            CreatedAt = new DateTimeOffset(Now),
            LastUpdatedAt = new DateTimeOffset(Now.AddMinutes(1)),
            SerializedCustomStatus = report is null ? null : JsonSerializer.Serialize(StatusOf(report)),
        };

    public static ContainmentStatus StatusOf(ContainmentReport report) =>
        new(report.IncidentId, report.Mode, report.Phase, report.Steps.Count, new StepCounts(report.Steps.Count, report.Steps.Count, 0, 0, 0, 0),
            report.PendingApprovals.Count, [.. report.PendingApprovals.Select(p => new PendingDecision(p.RequestId, p.StepIndex, p.Action.Value, p.Deadline, p.RequiredApprovals))]);

    /// <summary>The host's view of containments over a main courante in which <paramref name="report"/>'s steps were planned and its pending decisions requested.</summary>
    public static ContainmentState State(ContainmentReport report) => new(JournalOf(report));

    /// <summary>The entries the activities write for <paramref name="report"/>: each step's plan, each pending decision's request (with what the approver sees).</summary>
    public static InMemoryJournal JournalOf(ContainmentReport report)
    {
        var journal = new InMemoryJournal();
        foreach (var step in report.Steps)
        {
            journal.AppendAsync(new JournalEntry($"{report.InstanceId}/{step.Index:00}/plan", new DateTimeOffset(Now), report.IncidentId, "ResponseFunctions",
                step.Action.Value, step.Target.ToString(), "plan:change-required", step.Summary ?? step.Title), CancellationToken.None).GetAwaiter().GetResult();
        }

        foreach (var request in report.PendingApprovals)
        {
            journal.AppendAsync(new JournalEntry($"{report.InstanceId}/{request.StepIndex:00}/approval-requested", new DateTimeOffset(Now), report.IncidentId,
                "ResponseFunctions", JournalEvents.ApprovalRequested, request.Target.ToString(), "pending", request.Summary)
            {
                Data = JsonSerializer.SerializeToElement(request, JournalJson.Options),
            }, CancellationToken.None).GetAwaiter().GetResult();
        }

        return journal;
    }
}
