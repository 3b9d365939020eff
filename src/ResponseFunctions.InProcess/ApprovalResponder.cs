using System.Threading.Channels;
using Microsoft.DurableTask.Client;
using ResponseFunctions.Playbook.Approval;

namespace ResponseFunctions.InProcess;

/// <summary>
/// Answers approval requests from an <see cref="IApprovalChannel"/> the way approvers do in Azure: by raising the
/// decision as an external event on the waiting orchestration, after the request was sent. One request at a time,
/// in the order they were sent (a console prompt must not interleave). A channel that returns no decision leaves the
/// step to the orchestration's durable timer, as an approver who never answers does.
/// </summary>
internal sealed class ApprovalResponder(IApprovalChannel? channel) : IAsyncDisposable
{
    /// <summary>At most this many decisions raised per request: enough for a two-person step and a repeated approver.</summary>
    private const int MaxDecisionsPerRequest = 5;

    private readonly Channel<ApprovalRequest> _requests = Channel.CreateUnbounded<ApprovalRequest>();
    private readonly CancellationTokenSource _stopping = new();
    private DurableTaskClient? _client;
    private Task? _loop;
    private int _outstanding;

    public void Attach(DurableTaskClient client)
    {
        _client = client;
        _loop = Task.Run(() => AnswerAsync(_stopping.Token));
    }

    public IApprovalNotifier Wrap(IApprovalNotifier? inner) => new Notifier(this, inner);

    /// <summary>Waits until every request sent so far has been answered (or left unanswered).</summary>
    public async Task DrainAsync()
    {
        while (Volatile.Read(ref _outstanding) > 0 && _loop is { IsCompleted: false })
        {
            await Task.Delay(10);
        }
    }

    private async Task AnswerAsync(CancellationToken cancellationToken)
    {
        await foreach (var request in _requests.Reader.ReadAllAsync(cancellationToken))
        {
            try
            {
                var approvers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                for (var raised = 0; channel is not null && raised < MaxDecisionsPerRequest && approvers.Count < request.RequiredApprovals; raised++)
                {
                    var remaining = request.Deadline - DateTimeOffset.UtcNow;
                    if (await channel.DecideAsync(request, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, cancellationToken) is not { } decision)
                    {
                        break;
                    }

                    await _client!.RaiseEventAsync(ApprovalRequest.WaitingInstanceOf(request, request.InstanceId), ApprovalEvents.NameFor(request.RequestId), decision, cancellationToken);
                    if (decision.Verdict == ApprovalVerdict.Reject)
                    {
                        break;
                    }

                    approvers.Add(decision.DecidedById ?? decision.DecidedBy);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _outstanding);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await Task.WhenAny(_loop);
        }

        _stopping.Dispose();
    }

    private sealed class Notifier(ApprovalResponder responder, IApprovalNotifier? inner) : IApprovalNotifier
    {
        public async Task<CardDelivery> NotifyAsync(ApprovalRequest request, CancellationToken cancellationToken)
        {
            var delivery = inner is null
                ? new CardDelivery(CardDeliveryStatus.NoChannel, "No card channel is configured.")
                : await inner.NotifyAsync(request, cancellationToken);
            Interlocked.Increment(ref responder._outstanding);
            await responder._requests.Writer.WriteAsync(request, cancellationToken);
            return delivery;
        }

        public Task NotifyFollowUpAsync(ApprovalFollowUp followUp, CancellationToken cancellationToken) =>
            inner?.NotifyFollowUpAsync(followUp, cancellationToken) ?? Task.CompletedTask;
    }
}
