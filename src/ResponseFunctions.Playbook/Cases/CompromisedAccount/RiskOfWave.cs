using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Graph;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>
/// The Identity Protection risk of a wave's users, read with the list (GET /identityProtection/riskyUsers, pages of
/// at most 500 with $top, Graph docs "List riskyUsers") rather than one GET per user, and kept for every wave of the
/// process: Identity Protection allows one request per second per tenant, and 20 waves each reading at plan, before,
/// after and verify cost 80 lists and their pages. A user missing from a complete list has no risk recorded (what a
/// GET answers with 404). Paging stops once every user asked for is found; a tenant with so many risky users that
/// the list costs more pages than the wave has users reads the rest one by one.
/// <para>
/// Freshness, what every answer guarantees: it comes from a list read sent at most <see cref="Freshness"/> (the read
/// cache's lifetime) before it is asked for, and sent after the last Identity Protection write this process made to
/// that user (<see cref="IdentityProtectionWrites"/>: any client, any wave), so the read after a confirm and the
/// verify always see a read sent after it; readers at once share one read in flight. What it can miss, as the read
/// cache can: a change made outside this process within <see cref="Freshness"/>. A 403 is never kept.
/// </para>
/// </summary>
internal sealed class RiskOfWave(GraphServiceClient graph, TimeProvider time)
{
    /// <summary>Users per confirmCompromised request. Graph documents no limit for it; its sibling dismiss takes at most 60 (Graph docs, riskyUsers: dismiss).</summary>
    public const int MaxUsersPerConfirm = 60;

    /// <summary>How old a read may be to answer: the read cache's lifetime.</summary>
    public static TimeSpan Freshness => GraphReadCache.Lifetime;

    private const int PageSize = 500;

    /// <summary>Reads of its own one caller makes before reading the users still unanswered one by one.</summary>
    private const int MaxOwnReads = 2;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Known> _users = new(StringComparer.OrdinalIgnoreCase);
    private Listing? _complete;
    private (long Seq, Task<Listing> Task)? _reading;

    public async Task<Dictionary<string, UserRisk>> ReadAsync(
        IReadOnlyList<string> userIds, Func<string, Task<UserRisk>> readOne, CancellationToken cancellationToken)
    {
        var risks = new Dictionary<string, UserRisk>(StringComparer.OrdinalIgnoreCase);
        var wanted = new HashSet<string>(userIds, StringComparer.OrdinalIgnoreCase);
        var joined = new HashSet<long>();
        for (var own = 0; ;)
        {
            Task<Listing> read;
            List<string> missing;
            TaskCompletionSource<Listing>? mine = null;
            long seq = 0;
            lock (_gate)
            {
                Answer(wanted, risks);
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
                else
                {
                    mine = new TaskCompletionSource<Listing>(TaskCreationOptions.RunContinuationsAsynchronously);
                    seq = IdentityProtectionWrites.NextRead();
                    _reading = (seq, mine.Task);
                    read = mine.Task;
                    own++;
                }
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
    private async Task ListAsync(long seq, DateTimeOffset at, IReadOnlyList<string> wanted, TaskCompletionSource<Listing> done, CancellationToken cancellationToken)
    {
        try
        {
            var listing = await PagesAsync(seq, at, wanted, cancellationToken);
            lock (_gate)
            {
                if (listing.Forbidden is null)
                {
                    Keep(listing);
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

    private async Task<Listing> PagesAsync(long seq, DateTimeOffset at, IReadOnlyList<string> wanted, CancellationToken cancellationToken)
    {
        var listed = new Dictionary<string, RiskyUser>(StringComparer.OrdinalIgnoreCase);
        try
        {
            var page = await graph.IdentityProtection.RiskyUsers.GetAsync(r =>
            {
                r.QueryParameters.Top = PageSize;
                r.QueryParameters.Select = ["id", "userPrincipalName", "riskLevel", "riskState", "riskDetail"];
            }, cancellationToken);
            var pages = 1;
            Collect(page, listed);
            while (page?.OdataNextLink is { } next && !wanted.All(listed.ContainsKey) && pages < wanted.Count)
            {
                page = await graph.IdentityProtection.RiskyUsers.WithUrl(OnOurBase(next)).GetAsync(cancellationToken: cancellationToken);
                pages++;
                Collect(page, listed);
            }

            return new Listing(seq, at, listed, Complete: page?.OdataNextLink is null, null);
        }
        catch (ODataError error) when (error.ResponseStatusCode == 403)
        {
            return new Listing(seq, at, listed, false, GraphErrors.ToErrorInfo(error));
        }
    }

    /// <summary>What the kept reads answer for these users: the newest read, if fresh and sent after the user's last write.</summary>
    private void Answer(HashSet<string> wanted, Dictionary<string, UserRisk> risks)
    {
        var now = time.GetUtcNow();
        foreach (var id in wanted.Where(id => !risks.ContainsKey(id)))
        {
            var written = IdentityProtectionWrites.LastWrite(id);
            var known = _users.TryGetValue(id, out var k) && now - k.At < Freshness && k.Seq > written ? k : null;
            var complete = _complete is { } c && now - c.At < Freshness && c.Seq > written ? c : null;
            if (complete is not null && (known is null || complete.Seq > known.Seq))
            {
                risks[id] = new UserRisk(complete.Listed.GetValueOrDefault(id), null);
            }
            else if (known is not null)
            {
                risks[id] = known.Risk;
            }
        }
    }

    private void Keep(Listing listing)
    {
        foreach (var (id, risky) in listing.Listed)
        {
            if (!_users.TryGetValue(id, out var was) || was.Seq < listing.Seq)
            {
                _users[id] = new Known(new UserRisk(risky, null), listing.Seq, listing.At);
            }
        }

        if (listing.Complete && (_complete is null || _complete.Seq < listing.Seq))
        {
            _complete = listing;
        }

        // What no reader can use any more.
        var now = time.GetUtcNow();
        foreach (var id in _users.Where(u => now - u.Value.At >= Freshness).Select(u => u.Key).ToList())
        {
            _users.Remove(id);
        }
    }

    private static void Collect(RiskyUserCollectionResponse? page, Dictionary<string, RiskyUser> listed)
    {
        foreach (var risky in page?.Value ?? [])
        {
            if (risky.Id is { } id)
            {
                listed[id] = risky;
            }
        }
    }

    /// <summary>A nextLink names Graph's public host: follow it on the client's own base (sovereign clouds, the simulated tenant).</summary>
    private string OnOurBase(string nextLink)
    {
        const string marker = "/v1.0/";
        var ours = graph.RequestAdapter.BaseUrl?.TrimEnd('/');
        var index = nextLink.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
        return ours is null || index < 0 ? nextLink : ours + "/" + nextLink[(index + marker.Length)..];
    }

    private sealed record Known(UserRisk Risk, long Seq, DateTimeOffset At);

    /// <summary>One read of the list: sent as number <paramref name="Seq"/> at <paramref name="At"/>; complete when it ran to its last page.</summary>
    private sealed record Listing(long Seq, DateTimeOffset At, Dictionary<string, RiskyUser> Listed, bool Complete, ErrorInfo? Forbidden);
}
