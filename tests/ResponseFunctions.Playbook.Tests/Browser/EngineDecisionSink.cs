using System.Collections.Concurrent;
using System.Threading.Channels;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Approval.Page;
using ResponseFunctions.Playbook.LocalEngine;
using ResponseFunctions.Playbook.Orchestration;

namespace ResponseFunctions.Playbook.Tests.Browser;

/// <summary>
/// The local engine seen as Durable Functions sees it from the page: the orchestration's published report is the
/// page's view, and a raised decision waits in a per-request queue until the orchestration reads it (Durable buffers
/// external events the same way), so an early answer is not lost.
/// </summary>
internal sealed class EngineDecisionSink : IApprovalDecisionSink, IApprovalChannel, IProgress<ContainmentReport>
{
    private readonly ConcurrentDictionary<string, Channel<ApprovalDecision>> _events = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _pendingPublished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ContainmentReport? _report;
    private volatile bool _running = true;

    public ContainmentReport? Latest => _report;

    /// <summary>Completes when the orchestration has asked for its approvals (the cards would be posted now).</summary>
    public Task PendingPublished => _pendingPublished.Task;

    public void Ended() => _running = false;

    public void Report(ContainmentReport value)
    {
        _report = value;
        if (value.PendingApprovals.Count > 0)
        {
            _pendingPublished.TrySetResult();
        }
    }

    public Task<ApprovalPageView> ReadAsync(string instanceId, CancellationToken cancellationToken) =>
        Task.FromResult(_report is { } report && report.InstanceId == instanceId ? ApprovalPageView.From(report, _running) : ApprovalPageView.Empty);

    public Task RaiseAsync(string instanceId, ApprovalDecision decision, CancellationToken cancellationToken) =>
        Events(decision.RequestId).Writer.WriteAsync(decision, cancellationToken).AsTask();

    public async Task<ApprovalDecision?> DecideAsync(ApprovalRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            return await Events(request.RequestId).Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private Channel<ApprovalDecision> Events(string requestId) => _events.GetOrAdd(requestId, _ => Channel.CreateUnbounded<ApprovalDecision>());
}
