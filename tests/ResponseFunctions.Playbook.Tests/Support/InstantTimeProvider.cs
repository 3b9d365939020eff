using System.Collections.Concurrent;

namespace ResponseFunctions.Playbook.Tests.Support;

/// <summary>
/// Real time, except that every wait (a retry's back-off) completes at once and is recorded: tests assert how long the
/// client chose to wait (Retry-After honoured) without waiting.
/// </summary>
internal sealed class InstantTimeProvider : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _waits = new();

    public IReadOnlyList<TimeSpan> Waits => [.. _waits];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _waits.Enqueue(dueTime);
        return new FiredTimer(callback, state);
    }

    private sealed class FiredTimer : ITimer
    {
        public FiredTimer(TimerCallback callback, object? state) => ThreadPool.QueueUserWorkItem(_ => callback(state));

        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
