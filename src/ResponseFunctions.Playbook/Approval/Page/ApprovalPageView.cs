using ResponseFunctions.Playbook.Orchestration;

namespace ResponseFunctions.Playbook.Approval.Page;

/// <summary>
/// What the page knows of a containment: the requests still waiting for a decision, and every step's story (who
/// decided, whether it was applied) so a late or second visit is told what happened instead of just "refused".
/// </summary>
public sealed record ApprovalPageView(IReadOnlyList<ApprovalRequest> Pending, IReadOnlyList<StepReport> Steps, string? IncidentId = null)
{
    public static ApprovalPageView Empty { get; } = new([], []);

    public static ApprovalPageView Of(IReadOnlyList<ApprovalRequest> pending) => new(pending, []);

    /// <summary>From the orchestration's published report; a containment that stopped running takes no decision, so nothing is pending.</summary>
    public static ApprovalPageView From(ContainmentReport? report, bool running) =>
        report is null ? Empty : new(running ? report.PendingApprovals : [], report.Steps, report.IncidentId);

    /// <summary>The step a request id ("03-1c") stands for.</summary>
    public StepReport? StepOf(string requestId) =>
        int.TryParse(requestId.Split('-')[0], out var index) ? Steps.FirstOrDefault(s => s.Index == index) : null;
}

/// <summary>Where the page reads a containment's state and sends decisions: the Durable client of the host, or of the in-process engine in drills and tests.</summary>
public interface IApprovalDecisionSink
{
    Task<ApprovalPageView> ReadAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Raises one decision to the waiting orchestration (Durable: external event <see cref="ApprovalEvents.NameFor"/>).</summary>
    Task RaiseAsync(string instanceId, ApprovalDecision decision, CancellationToken cancellationToken);
}
