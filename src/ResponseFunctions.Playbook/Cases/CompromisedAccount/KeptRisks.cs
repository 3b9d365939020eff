using ResponseFunctions.Playbook.Graph;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>
/// The risky-user reads <see cref="RiskOfWave"/> keeps (not thread-safe: used under its lock): per user, the newest
/// read that listed it; and the newest complete list, which also answers for the users it did not list (no risk).
/// An answer needs a read sent less than <see cref="RiskOfWave.Freshness"/> ago and after the user's last write.
/// </summary>
internal sealed class KeptRisks(TimeProvider time)
{
    private readonly Dictionary<string, Known> _users = new(StringComparer.OrdinalIgnoreCase);
    private RiskyUserListing? _complete;

    /// <summary>What the kept reads answer for these users: the newest read, if fresh and sent after the user's last write.</summary>
    public void Answer(HashSet<string> wanted, Dictionary<string, UserRisk> risks)
    {
        var now = time.GetUtcNow();
        foreach (var id in wanted.Where(id => !risks.ContainsKey(id)))
        {
            var written = IdentityProtectionWrites.LastWrite(id);
            var known = _users.TryGetValue(id, out var k) && now - k.At < RiskOfWave.Freshness && k.Seq > written ? k : null;
            var complete = _complete is { } c && now - c.At < RiskOfWave.Freshness && c.Seq > written ? c : null;
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

    public void Keep(RiskyUserListing listing)
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
        foreach (var id in _users.Where(u => now - u.Value.At >= RiskOfWave.Freshness).Select(u => u.Key).ToList())
        {
            _users.Remove(id);
        }
    }

    private sealed record Known(UserRisk Risk, long Seq, DateTimeOffset At);
}
