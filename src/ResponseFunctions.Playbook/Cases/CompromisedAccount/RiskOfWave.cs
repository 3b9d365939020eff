using Microsoft.Graph;
using ResponseFunctions.Playbook.Graph;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>
/// The Identity Protection risk of a wave's users, read with the list (<see cref="RiskyUserList"/>) rather than one GET
/// per user, and kept for every wave of the process: Identity Protection allows one request per second per tenant, and
/// 20 waves each reading at plan, before, after and verify cost 80 lists and their pages.
/// <para>
/// Freshness, what every answer guarantees: it comes from a list read sent at most <see cref="Freshness"/> (the read
/// cache's lifetime) before it is asked for, and sent after the last Identity Protection write this process made to
/// that user (<see cref="IdentityProtectionWrites"/>: any client, any wave), so the read after a confirm and the
/// verify always see a read sent after it. Readers at once share one read in flight, and a reader that would send
/// one while confirms are going waits for them (at most <see cref="Freshness"/>), so one read after them serves every
/// wave. What it can miss, as the read cache can: a change made outside this process within <see cref="Freshness"/>.
/// A 403 is never kept.
/// </para>
/// </summary>
internal sealed class RiskOfWave(GraphServiceClient graph, TimeProvider time)
{
    /// <summary>Users per confirmCompromised request. Graph documents no limit for it; its sibling dismiss takes at most 60 (Graph docs, riskyUsers: dismiss).</summary>
    public const int MaxUsersPerConfirm = 60;

    /// <summary>How old a read may be to answer: the read cache's lifetime.</summary>
    public static TimeSpan Freshness => GraphReadCache.Lifetime;

    /// <summary>Reads of its own one caller makes before reading the users still unanswered one by one.</summary>
    private const int MaxOwnReads = 2;

    private readonly Lock _gate = new();
    private readonly KeptRisks _kept = new(time);
    private (long Seq, Task<RiskyUserListing> Task)? _reading;
    private readonly List<Task> _writing = [];

    /// <summary>
    /// A write to Identity Protection (a wave's confirm): a reader that would send a read of its own meanwhile waits
    /// for it first, so one read after several waves' confirms answers all their reads after (and any other wave's).
    /// </summary>
    public async Task<T> WritingAsync<T>(Func<Task<T>> write)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _writing.Add(done.Task);
        }

        try
        {
            return await write();
        }
        finally
        {
            lock (_gate)
            {
                _writing.Remove(done.Task);
            }

            done.SetResult();
        }
    }

    public async Task<Dictionary<string, UserRisk>> ReadAsync(
        IReadOnlyList<string> userIds, Func<string, Task<UserRisk>> readOne, CancellationToken cancellationToken)
    {
        var risks = new Dictionary<string, UserRisk>(StringComparer.OrdinalIgnoreCase);
        var wanted = new HashSet<string>(userIds, StringComparer.OrdinalIgnoreCase);
        var joined = new HashSet<long>();
        var waited = false;
        for (var own = 0; ;)
        {
            Task<RiskyUserListing>? read = null;
            List<string> missing;
            TaskCompletionSource<RiskyUserListing>? mine = null;
            long seq = 0;
            Task? writes = null;
            lock (_gate)
            {
                _kept.Answer(wanted, risks);
                missing = [.. wanted.Where(id => !risks.ContainsKey(id))];
                if (missing.Count == 0 || own == MaxOwnReads)
                {
                    break;
                }

                if (_reading is { } shared && !joined.Contains(shared.Seq) && missing.All(id => IdentityProtectionWrites.LastWrite(id) < shared.Seq))
                {
                    // In flight, and sent after every write to these users: its answer is as good as one of our own.
                    read = shared.Task;
                    joined.Add(shared.Seq);
                }
                else if (!waited && _writing.Count > 0)
                {
                    // Confirms going now (they wait their turn at one request per second): read once after them.
                    (writes, waited) = (Task.WhenAll(_writing), true);
                }
                else
                {
                    mine = new TaskCompletionSource<RiskyUserListing>(TaskCreationOptions.RunContinuationsAsynchronously);
                    seq = IdentityProtectionWrites.NextRead();
                    _reading = (seq, mine.Task);
                    read = mine.Task;
                    own++;
                }
            }

            if (read is null)
            {
                try
                {
                    await writes!.WaitAsync(Freshness, time, cancellationToken);
                }
                catch (TimeoutException)
                {
                    // Bounded: a write slower than this is waited for no longer.
                }

                continue;
            }

            if (mine is not null)
            {
                _ = ListAsync(seq, time.GetUtcNow(), missing, mine, cancellationToken);
            }

            // The read waited for answers whatever its age (a throttled read may take long), as the read cache's do.
            var listing = await read;
            if (listing.Forbidden is { } error)
            {
                foreach (var id in missing)
                {
                    risks[id] = new UserRisk(null, error);
                }

                return risks;
            }

            foreach (var id in missing.Where(id => IdentityProtectionWrites.LastWrite(id) < listing.Seq))
            {
                if (listing.Listed.TryGetValue(id, out var risky) || listing.Complete)
                {
                    risks[id] = new UserRisk(risky, null);
                }
            }

            if (mine is not null && !listing.Complete)
            {
                break;
            }
        }

        foreach (var id in wanted.Where(id => !risks.ContainsKey(id)).ToList())
        {
            risks[id] = await readOne(id);
        }

        return risks;
    }

    /// <summary>Reads the list (until <paramref name="wanted"/> are all found), keeps what it saw, and hands it to every reader waiting on it.</summary>
    private async Task ListAsync(long seq, DateTimeOffset at, IReadOnlyList<string> wanted, TaskCompletionSource<RiskyUserListing> done, CancellationToken cancellationToken)
    {
        try
        {
            var listing = await RiskyUserList.ReadAsync(graph, seq, at, wanted, cancellationToken);
            lock (_gate)
            {
                if (listing.Forbidden is null)
                {
                    _kept.Keep(listing);
                }

                if (_reading?.Seq == seq)
                {
                    _reading = null;
                }
            }

            done.SetResult(listing);
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                if (_reading?.Seq == seq)
                {
                    _reading = null;
                }
            }

            done.SetException(ex);
        }
    }

}
