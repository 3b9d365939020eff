using ResponseFunctions.Playbook.Approval;

namespace ResponseFunctions.InProcess;

/// <summary>Gives every request the same verdict, signed by a named person: "--approve all" and "--approve none" in drills.</summary>
public sealed class FixedApprovalChannel(ApprovalVerdict verdict, string decidedBy, TimeProvider time) : IApprovalChannel
{
    public Task<ApprovalDecision?> DecideAsync(ApprovalRequest request, TimeSpan timeout, CancellationToken cancellationToken) =>
        Task.FromResult<ApprovalDecision?>(new ApprovalDecision(
            request.RequestId,
            verdict,
            decidedBy,
            time.GetUtcNow(),
            verdict == ApprovalVerdict.Approve ? "Approved for the whole drill." : "Rejected for the whole drill."));
}
