namespace ResponseFunctions.Cli.Bench;

/// <summary>
/// The largest orchestration history of a containment's instances (the containment and each of its waves), as the
/// engine sent it with the instance's last episode: the figure that must not grow with the incident, since every
/// replay reads it whole.
/// </summary>
internal static class HistoryMeter
{
    /// <param name="ByKind">The largest history of each kind of instance: the containment, its groups of waves, its waves.</param>
    public sealed record Histories(int? MaxEvents, int Instances, string? Largest, IReadOnlyDictionary<string, int>? ByKind = null);

    public static Histories Of(IReadOnlyDictionary<string, int> events, string instanceId)
    {
        // The containment and its waves only (another incident's id may merely start alike).
        var mine = events.Where(e => e.Key == instanceId || e.Key.StartsWith(instanceId + ":", StringComparison.Ordinal)).ToList();
        if (mine.Count == 0)
        {
            return new Histories(null, 0, null);
        }

        var largest = mine.MaxBy(e => e.Value);
        var byKind = mine
            .GroupBy(e => e.Key == instanceId ? "containment" : e.Key.StartsWith(instanceId + ":waves-", StringComparison.Ordinal) ? "group" : "wave")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(e => e.Value), StringComparer.Ordinal);
        return new Histories(largest.Value, mine.Count, largest.Key, byKind);
    }
}
