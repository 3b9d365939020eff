namespace ResponseFunctions.Cli.Bench;

/// <summary>
/// The largest orchestration history of a containment's instances (the containment and each of its waves), as the
/// engine sent it with the instance's last episode: the figure that must not grow with the incident, since every
/// replay reads it whole.
/// </summary>
internal static class HistoryMeter
{
    /// <param name="ByKind">The largest history of each kind of instance: the containment, its groups of waves, its waves.</param>
    /// <param name="ReplayedMbByKind">The history the engine sent for each kind of instance, every episode's, in MB: what the replays read.</param>
    public sealed record Histories(
        int? MaxEvents, int Instances, string? Largest, IReadOnlyDictionary<string, int>? ByKind = null, IReadOnlyDictionary<string, double>? ReplayedMbByKind = null);

    public static Histories Of(IReadOnlyDictionary<string, int> events, IReadOnlyDictionary<string, long> replayed, string instanceId)
    {
        // The containment and its waves only (another incident's id may merely start alike).
        bool Mine(string id) => id == instanceId || id.StartsWith(instanceId + ":", StringComparison.Ordinal);
        var mine = events.Where(e => Mine(e.Key)).ToList();
        if (mine.Count == 0)
        {
            return new Histories(null, 0, null);
        }

        var largest = mine.MaxBy(e => e.Value);
        string KindOf(string id) => id == instanceId ? "containment" : id.StartsWith(instanceId + ":waves-", StringComparison.Ordinal) ? "group" : "wave";
        var byKind = mine
            .GroupBy(e => KindOf(e.Key))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(e => e.Value), StringComparer.Ordinal);
        var replayedByKind = replayed
            .Where(e => Mine(e.Key))
            .GroupBy(e => KindOf(e.Key))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Math.Round(g.Sum(e => e.Value) / 1024d / 1024d, 1), StringComparer.Ordinal);
        return new Histories(largest.Value, mine.Count, largest.Key, byKind, replayedByKind);
    }
}
