using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Core.Interceptors;
using P = Microsoft.DurableTask.Protobuf;

namespace ResponseFunctions.InProcess;

/// <summary>
/// Reads, off the engine's gRPC stream to the worker, how many history events each orchestration instance had when it
/// last ran: the engine sends the whole history with every episode (inline, or streamed in chunks when large), and
/// that is what every replay reads. The in-memory engine keeps no history once an instance is done, so this is where
/// it can be measured. Observes only; changes nothing on the wire.
/// </summary>
internal sealed class HistoryCounter : Interceptor
{
    private readonly ConcurrentDictionary<string, int> _largest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _replayed = new(StringComparer.Ordinal);

    /// <summary>The most history events seen for each instance.</summary>
    public IReadOnlyDictionary<string, int> Largest => _largest;

    /// <summary>The bytes of history sent to the worker for each instance, all its episodes together: what its replays read.</summary>
    public IReadOnlyDictionary<string, long> Replayed => _replayed;

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(request, context);
        var streamed = request is P.StreamInstanceHistoryRequest history ? history.InstanceId : null;
        var counted = 0;
        return new AsyncServerStreamingCall<TResponse>(
            new Observed<TResponse>(call.ResponseStream, message =>
            {
                switch (message)
                {
                    case P.WorkItem { OrchestratorRequest: { } orchestration } when !orchestration.RequiresHistoryStreaming:
                        Record(orchestration.InstanceId, orchestration.PastEvents.Count + orchestration.NewEvents.Count);
                        AddReplayed(orchestration.InstanceId, orchestration.CalculateSize());
                        break;
                    case P.HistoryChunk chunk when streamed is not null:
                        counted += chunk.Events.Count;
                        Record(streamed, counted);
                        AddReplayed(streamed, chunk.CalculateSize());
                        break;
                }
            }),
            call.ResponseHeadersAsync,
            call.GetStatus,
            call.GetTrailers,
            call.Dispose);
    }

    private void AddReplayed(string instanceId, long bytes) => _replayed.AddOrUpdate(instanceId, bytes, (_, sum) => sum + bytes);

    private void Record(string instanceId, int events) => _largest.AddOrUpdate(instanceId, events, (_, known) => Math.Max(known, events));

    private sealed class Observed<T>(IAsyncStreamReader<T> inner, Action<T> observe) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            var moved = await inner.MoveNext(cancellationToken);
            if (moved)
            {
                observe(inner.Current);
            }

            return moved;
        }
    }
}
