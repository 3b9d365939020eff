using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.InProcess;

namespace ResponseFunctions.Playbook.Tests.Approval;

/// <summary>Answers each wait of an action with the next queued (verdict, approver); an empty queue or a null verdict is a timeout. Unqueued actions are approved.</summary>
internal sealed class QueuedApprovalChannel : IApprovalChannel
{
    private readonly Dictionary<string, Queue<(ApprovalVerdict? Verdict, string Approver)>> _queues = [];

    public List<ApprovalRequest> Asked { get; } = [];

    public QueuedApprovalChannel On(string action, params (ApprovalVerdict? Verdict, string Approver)[] answers)
    {
        _queues[action] = new Queue<(ApprovalVerdict?, string)>(answers);
        return this;
    }

    public Task<ApprovalDecision?> DecideAsync(ApprovalRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Asked.Add(request);
        if (!_queues.TryGetValue(request.Action.Value, out var queue))
        {
            return Task.FromResult<ApprovalDecision?>(new ApprovalDecision(request.RequestId, ApprovalVerdict.Approve, "analyst@contoso.com", DateTimeOffset.UtcNow, null));
        }

        return Task.FromResult(queue.TryDequeue(out var next) && next.Verdict is { } verdict
            ? new ApprovalDecision(request.RequestId, verdict, next.Approver, DateTimeOffset.UtcNow, null) { DecidedById = next.Approver == ApprovalDecision.FunctionKeyIdentity ? next.Approver : "oid-" + next.Approver }
            : null);
    }
}
