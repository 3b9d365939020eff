namespace ResponseFunctions.Cli.Bench;

/// <summary>The figures of one benchmark run (seconds from the containment's start; sizes in MB or bytes).</summary>
internal sealed record BenchResult(
    int Users,
    int Requests,
    int Writes,
    double RequestsPerAccount,
    int Throttled,
    double WallSeconds,
    double BoundSeconds,
    double? Ratio,
    double? FirstWriteSeconds,
    double? P0CompleteSeconds,
    double PeakWorkingSetMb,
    double AllocatedMb,
    long JournalBytes,
    int? MaxHistoryEvents,
    int Instances,
    int MaxCustomStatusChars,
    int ApprovalRequests,
    int CardBytesMax,
    string TenantSize,
    int LatencyMs,
    string Outcome)
{
    /// <summary>Requests per route, most frequent first (<see cref="RouteCounts"/>).</summary>
    public IReadOnlyDictionary<string, int>? Routes { get; init; }

    /// <summary>Requests the service handled, each request of a JSON batch on its own (<see cref="Requests"/> counts round trips).</summary>
    public int GraphCalls { get; init; }

    /// <summary>Of <see cref="Requests"/>, the JSON batches.</summary>
    public int Batches { get; init; }

    /// <summary>With the blob journal: its keyed chain checked end to end after the run (null with the JSON Lines journal).</summary>
    public string? JournalVerified { get; init; }

    /// <summary>With the blob journal: append blocks written (many entries per block) and entries.</summary>
    public long? JournalBlocks { get; init; }

    /// <summary>
    /// Environment.ProcessorCount: the in-process engine's sidecar dispatches at most this many activities (and
    /// orchestrations) at once; DOTNET_PROCESSOR_COUNT sets it.
    /// </summary>
    public int ProcessorCount { get; init; } = Environment.ProcessorCount;

    /// <summary>Per action, when its first and its last change was applied (seconds from the start): where the time went.</summary>
    public IReadOnlyDictionary<string, double[]>? Applied { get; init; }

    /// <summary>The same containment's activities called directly, without the engine, on a fresh tenant (<see cref="DirectRun"/>).</summary>
    public double? DirectWallSeconds { get; init; }

    /// <summary>The largest history of each kind of instance (containment, group, wave): none may grow with N.</summary>
    public IReadOnlyDictionary<string, int>? MaxHistoryByKind { get; init; }

    /// <summary>The history the engine sent with every episode of each kind of instance, in MB: what their replays read.</summary>
    public IReadOnlyDictionary<string, double>? HistoryReplayedMb { get; init; }

    /// <summary>What the direct run allocated (MB): the actions, the clients and the simulated tenant without the engine.</summary>
    public double? DirectAllocatedMb { get; init; }

    /// <summary>With <c>--allocations</c>: the types that allocated most during the engine's run, in MB (sampled, <see cref="AllocationSampler"/>).</summary>
    public IReadOnlyDictionary<string, double>? AllocationsByType { get; init; }

    /// <summary>(<see cref="WallSeconds"/> − <see cref="DirectWallSeconds"/>) per step, in milliseconds: what the engine adds.</summary>
    public double? EngineOverheadMsPerStep { get; init; }
}
