using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// What a running containment publishes as its Durable custom status: small and bounded whatever the incident's size
/// (Durable keeps custom status inline and refuses more than 16 KB of UTF-16, i.e. 8,192 characters). Plans, evidence
/// and every step's story are in the main courante; <c>GET /api/containments/{id}</c> serves them from there.
/// </summary>
/// <param name="Pending">The first <see cref="MaxPendingListed"/> decisions awaited, oldest first; <paramref name="PendingCount"/> counts them all.</param>
public sealed record ContainmentStatus(
    string IncidentId,
    ContainmentMode Mode,
    ContainmentPhase Phase,
    int Steps,
    StepCounts Counts,
    int PendingCount,
    IReadOnlyList<PendingDecision> Pending)
{
    public const int MaxPendingListed = 25;

    /// <summary>The status of a containment whose steps stand as <paramref name="steps"/> and that awaits <paramref name="pending"/> (oldest first).</summary>
    public static ContainmentStatus Of(ContainmentRequest request, ContainmentPhase phase, IReadOnlyList<StepReport> steps, IReadOnlyCollection<ApprovalRequest> pending) =>
        Of(request, phase, steps.Count, StepCounts.Of(steps), pending.Count, [.. pending.Take(MaxPendingListed).Select(PendingDecision.Of)]);

    /// <summary>The status of a containment run in waves: counts summed over them, the first decisions awaited listed.</summary>
    public static ContainmentStatus Of(ContainmentRequest request, ContainmentPhase phase, int steps, StepCounts counts, int pendingCount, IEnumerable<PendingDecision> pending) =>
        new(request.IncidentId, request.Mode, phase, steps, counts, pendingCount, [.. pending.Take(MaxPendingListed)]);
}

/// <summary>How many steps stand where.</summary>
public sealed record StepCounts(int Planned, int ChangeRequired, int Decided, int Applied, int Verified, int Failed)
{
    public static readonly StepCounts None = new(0, 0, 0, 0, 0, 0);

    public static StepCounts Of(IReadOnlyCollection<StepReport> steps) => new(
        steps.Count(s => s.Plan is not null),
        steps.Count(s => s.Plan == PlanStatus.ChangeRequired),
        steps.Count(s => s.Approval is not null),
        steps.Count(s => s.Apply is ApplyOutcome.Applied or ApplyOutcome.AlreadyInPlace or ApplyOutcome.PartiallyApplied),
        steps.Count(s => s.Verify == VerifyOutcome.Verified),
        steps.Count(s => s.Plan == PlanStatus.Failed || s.Apply == ApplyOutcome.Failed || s.Verify == VerifyOutcome.Failed));

    public StepCounts Plus(StepCounts other) => new(
        Planned + other.Planned, ChangeRequired + other.ChangeRequired, Decided + other.Decided,
        Applied + other.Applied, Verified + other.Verified, Failed + other.Failed);
}

/// <summary>A decision the containment waits for: enough to find it and post to it, nothing an attacker could not already see.</summary>
public sealed record PendingDecision(string RequestId, int StepIndex, string Action, DateTimeOffset Deadline, int RequiredApprovals)
{
    public static PendingDecision Of(ApprovalRequest request) =>
        new(request.RequestId, request.StepIndex, request.Action.Value, request.Deadline, request.RequiredApprovals);
}
