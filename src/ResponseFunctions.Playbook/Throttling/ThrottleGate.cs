using System.Collections.Concurrent;

namespace ResponseFunctions.Playbook.Throttling;

/// <summary>
/// The one throttle-aware limiter of the process, shared by every activity: one entry per service quota (a
/// <see cref="ThrottleScope"/>). When a service throttles a caller (429, or 503/504), the whole scope pauses until the
/// wait the service asked for (Retry-After) or a back-off, so every other caller of that quota waits too instead of
/// spending the quota on requests that would be refused. A scope can also carry a documented pace (a minimum interval
/// between requests, for a low fixed limit): once the service has throttled the scope, this process keeps to that pace
/// for <see cref="PaceHold"/>, so it stops running into the limit; a scope never throttled is not slowed.
/// Nothing here sleeps per call: callers wait for the scope's shared instant, and each request is sent once that passed.
/// </summary>
/// <remarks>Source: "Microsoft Graph throttling guidance" (learn.microsoft.com/graph/throttling): wait what Retry-After
/// says, and back off exponentially when no Retry-After is given; "Microsoft Graph service-specific throttling limits"
/// for the quotas the scopes stand for.</remarks>
public sealed class ThrottleGate(TimeProvider? time = null)
{
    /// <summary>The longest pause one throttled answer imposes; beyond it the step fails as transient and the engine retries it later.</summary>
    public static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(60);

    /// <summary>How long a paced scope keeps its pace after the service last throttled it.</summary>
    public static readonly TimeSpan PaceHold = TimeSpan.FromSeconds(60);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Scope> _scopes = new(StringComparer.Ordinal);
    private long _pauses;

    /// <summary>Throttled answers that paused a scope since the process started.</summary>
    public long Pauses => Interlocked.Read(ref _pauses);

    public TimeProvider Time => _time;

    /// <summary>Waits until <paramref name="scope"/> may send (its pause is over and, if paced, its next slot has come); returns the send time.</summary>
    public async ValueTask<DateTimeOffset> WaitTurnAsync(ThrottleScope scope, CancellationToken cancellationToken)
    {
        var state = _scopes.GetOrAdd(scope.Name, _ => new Scope());
        TimeSpan wait;
        lock (state)
        {
            var now = _time.GetUtcNow();
            var at = state.ReadyAt > now ? state.ReadyAt : now;
            if (scope.Pace > TimeSpan.Zero && now < state.PacedUntil)
            {
                at = state.NextSlot > at ? state.NextSlot : at;
                state.NextSlot = at + scope.Pace;
            }

            wait = at - now;
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }

        return _time.GetUtcNow();
    }

    /// <summary>
    /// The service throttled a request of <paramref name="scope"/>: every caller of the scope waits
    /// <paramref name="retryAfter"/> (the service's Retry-After) or, without one, a back-off that doubles with each
    /// consecutive throttled answer (1, 2, 4… s). Returns the pause now in force.
    /// </summary>
    public TimeSpan Throttled(ThrottleScope scope, TimeSpan? retryAfter)
    {
        var state = _scopes.GetOrAdd(scope.Name, _ => new Scope());
        Interlocked.Increment(ref _pauses);
        lock (state)
        {
            var now = _time.GetUtcNow();
            state.Consecutive++;
            var pause = retryAfter ?? TimeSpan.FromSeconds(Math.Pow(2, Math.Min(state.Consecutive - 1, 6)));
            pause = pause < TimeSpan.Zero ? TimeSpan.Zero : pause > MaxPause ? MaxPause : pause;
            if (now + pause > state.ReadyAt)
            {
                state.ReadyAt = now + pause;
            }

            state.PausedAt = now;
            if (scope.Pace > TimeSpan.Zero)
            {
                state.PacedUntil = now + PaceHold;
            }

            return pause;
        }
    }

    /// <summary>
    /// The service served a request of <paramref name="scope"/> sent at <paramref name="sentAt"/>. One sent after the
    /// latest pause began proves the quota has room again: the back-off starts over and the pause is lifted.
    /// </summary>
    public void Served(ThrottleScope scope, DateTimeOffset sentAt)
    {
        if (!_scopes.TryGetValue(scope.Name, out var state))
        {
            return;
        }

        lock (state)
        {
            if (sentAt >= state.PausedAt)
            {
                state.Consecutive = 0;
                state.ReadyAt = DateTimeOffset.MinValue;
            }
        }
    }

    /// <summary>When <paramref name="scope"/> may send again (the past when it may now).</summary>
    public DateTimeOffset ReadyAt(ThrottleScope scope) =>
        _scopes.TryGetValue(scope.Name, out var state) ? state.ReadyAt : DateTimeOffset.MinValue;

    private sealed class Scope
    {
        public DateTimeOffset ReadyAt { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset PausedAt { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset NextSlot { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset PacedUntil { get; set; } = DateTimeOffset.MinValue;

        public int Consecutive { get; set; }
    }
}

/// <summary>One quota callers share: its name and, for a documented fixed rate, the least interval between two requests once throttled.</summary>
public sealed record ThrottleScope(string Name, TimeSpan Pace = default);
