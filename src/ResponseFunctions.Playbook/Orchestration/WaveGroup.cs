using System.Text.Json.Serialization;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// Consecutive waves of a containment run by one <see cref="ContainmentWaveGroupOrchestrator"/>: directly when they
/// are at most <see cref="ContainmentEngineOptions.MaxWavesPerGroup"/>, else as groups of their own. The containment
/// and each group run at most that many children, so every instance's history is bounded whatever the incident's size.
/// </summary>
/// <param name="ReportTo">The instance the group tells where it stands and gives P0 slots back to: the containment or the enclosing group.</param>
/// <param name="Slots">The P0 slots the group starts with; its parent may grant more (<see cref="SlotsEventName"/>).</param>
public sealed record WaveGroup(string ReportTo, int Slots, IReadOnlyList<ContainmentWave> Waves)
{
    /// <summary>The event a group's parent raises on it to grant it more P0 slots (its data: how many).</summary>
    public const string SlotsEventName = "containment:wave-slots";

    /// <summary>The group's number among its parent's children: its first wave's.</summary>
    [JsonIgnore]
    public int Number => Waves[0].Number;

    [JsonIgnore]
    public string InstanceId => InstanceIdOf(Waves[0].ParentInstanceId, Waves[0].Number, Waves[^1].Number);

    /// <summary>"{containment}:waves-001-008": the containment's own id first, as its waves' (see <see cref="ContainmentWave.InstanceIdOf"/>).</summary>
    public static string InstanceIdOf(string containmentId, int first, int last) => $"{containmentId}:waves-{first:000}-{last:000}";

    /// <summary>
    /// The groups an instance cuts <paramref name="waves"/> into: none when they are at most <paramref name="maxChildren"/>
    /// (it runs them itself), else at most <paramref name="maxChildren"/> runs of consecutive waves, each a power of
    /// <paramref name="maxChildren"/> long but the last, so that the tree is as shallow as the incident allows.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<ContainmentWave>> Split(IReadOnlyList<ContainmentWave> waves, int maxChildren)
    {
        var max = Math.Max(2, maxChildren);
        if (waves.Count <= max)
        {
            return [];
        }

        var size = max;
        while ((long)size * max < waves.Count)
        {
            size *= max;
        }

        return [.. waves.Chunk(size)];
    }
}
