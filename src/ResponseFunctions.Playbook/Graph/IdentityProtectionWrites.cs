using System.Collections.Concurrent;

namespace ResponseFunctions.Playbook.Graph;

/// <summary>
/// The order of Identity Protection reads and writes in this process, so a kept read of a user's risk is never used
/// after a write to that user (confirmCompromised, dismiss) sent by any client of the process. Every read takes a
/// number before it is sent; every write takes one once it has returned or failed (a timeout may still have changed
/// the user) and records it against the users it names, or against everyone when it names none. A read answers for a
/// user only if its number is greater than that user's last write's: it was sent after the write was done.
/// Process-wide, as the writes are: a write in another tenant of the same process only costs a read, never a stale one.
/// </summary>
public static class IdentityProtectionWrites
{
    private static readonly ConcurrentDictionary<string, long> LastByUser = new(StringComparer.OrdinalIgnoreCase);
    private static long _sequence;
    private static long _unnamed;

    /// <summary>The number of a read about to be sent.</summary>
    public static long NextRead() => Interlocked.Increment(ref _sequence);

    /// <summary>A write done (or failed) to these users; none named: to anyone.</summary>
    public static void Record(IReadOnlyCollection<string> userIds)
    {
        var at = Interlocked.Increment(ref _sequence);
        if (userIds.Count == 0)
        {
            InterlockedMax(ref _unnamed, at);
            return;
        }

        foreach (var id in userIds)
        {
            LastByUser.AddOrUpdate(id, at, (_, was) => Math.Max(was, at));
        }
    }

    /// <summary>The number of the last write that may have changed this user's risk (0: none).</summary>
    public static long LastWrite(string userId) => Math.Max(Interlocked.Read(ref _unnamed), LastByUser.GetValueOrDefault(userId));

    private static void InterlockedMax(ref long target, long value)
    {
        for (var seen = Interlocked.Read(ref target); seen < value; seen = Interlocked.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }
}
