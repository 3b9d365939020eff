using System.Globalization;
using ResponseFunctions.Cli.Commands;
using ResponseFunctions.SimulatedTenant;

namespace ResponseFunctions.Cli.Bench;

/// <summary>What a benchmark runs: the password-spray scenario for N accounts, the tenant's size and round trip, where the figures go.</summary>
internal sealed record BenchSettings(int Users, TimeSpan Latency, TenantSize TenantSize, string? JsonPath)
{
    public static readonly IReadOnlySet<string> Options = new HashSet<string>
    {
        "--scenario", "--users", "--latency-ms", "--tenant-size", "--json", "--wave-size", "--parallel-waves", "--running-waves", "--waves-per-group", "--parallel-steps", "--batch-window-ms", "--journal", "--blob-journal-env",
    };

    public static readonly IReadOnlySet<string> Flags = new HashSet<string> { "--allocations" };

    /// <summary>Whether the run samples its allocations by type (<see cref="AllocationSampler"/>; slows it a little).</summary>
    public bool SampleAllocations { get; init; }

    /// <summary>The engine's settings for the run (<c>Containment:Engine</c>): the defaults unless a flag says otherwise.</summary>
    public Playbook.Orchestration.ContainmentEngineOptions Engine { get; init; } = new();

    /// <summary>Where the run's main courante is kept (for <c>journal verify</c> or a look at its timeline); null: a temporary file, deleted.</summary>
    public string? JournalPath { get; init; }

    /// <summary>
    /// The name of an environment variable holding an Azure Storage connection string (Azurite's in CI): the run then
    /// journals to the blob journal, as the host does (group commit, keyed chain), and verifies its chain afterwards.
    /// </summary>
    public string? BlobJournalVariable { get; init; }

    /// <summary>How long Graph requests wait to travel together in one JSON batch, as the host does; null (--batch-window-ms 0) sends each alone.</summary>
    public TimeSpan? BatchWindow { get; init; } = Playbook.Graph.PlaybookGraphClient.DefaultBatchWindow;

    public static BenchSettings From(Arguments arguments)
    {
        if (arguments.Value("--scenario") is { } scenario && scenario != PasswordSprayScenario.Name)
        {
            throw new UsageException($"bench runs the '{PasswordSprayScenario.Name}' scenario, not '{scenario}'.");
        }

        var users = arguments.Value("--users") is { } u
            ? int.TryParse(u, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 10_000 ? n
                : throw new UsageException($"--users is a number of accounts from 1 to 10000, not '{u}'.")
            : throw new UsageException("--users <N> is required.");
        var latency = arguments.Value("--latency-ms") is { } l
            ? int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms <= 10_000 ? TimeSpan.FromMilliseconds(ms)
                : throw new UsageException($"--latency-ms is a number of milliseconds from 0 to 10000, not '{l}'.")
            : TimeSpan.Zero;
        var size = arguments.Value("--tenant-size") switch
        {
            null or "large" => TenantSize.Large,
            "medium" => TenantSize.Medium,
            "small" => TenantSize.Small,
            var other => throw new UsageException($"--tenant-size is small, medium or large, not '{other}'."),
        };
        var engine = new Playbook.Orchestration.ContainmentEngineOptions();
        engine.WaveSize = Count(arguments, "--wave-size", engine.WaveSize);
        engine.MaxParallelWaves = Count(arguments, "--parallel-waves", engine.MaxParallelWaves);
        engine.MaxRunningWaves = Count(arguments, "--running-waves", engine.MaxRunningWaves);
        engine.MaxWavesPerGroup = Count(arguments, "--waves-per-group", engine.MaxWavesPerGroup);
        engine.MaxParallelSteps = Count(arguments, "--parallel-steps", engine.MaxParallelSteps);
        var window = arguments.Value("--batch-window-ms") is { } w
            ? int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out var wms) && wms <= 1_000 ? (wms == 0 ? (TimeSpan?)null : TimeSpan.FromMilliseconds(wms))
                : throw new UsageException($"--batch-window-ms is a number of milliseconds from 0 (no batching) to 1000, not '{w}'.")
            : Playbook.Graph.PlaybookGraphClient.DefaultBatchWindow;
        if (arguments.Value("--blob-journal-env") is { } variable && Environment.GetEnvironmentVariable(variable) is not { Length: > 0 })
        {
            throw new UsageException($"--blob-journal-env names {variable}, which holds no Azure Storage connection string.");
        }

        return new BenchSettings(users, latency, size, arguments.Value("--json"))
        {
            Engine = engine, BatchWindow = window, JournalPath = arguments.Value("--journal"), BlobJournalVariable = arguments.Value("--blob-journal-env"),
            SampleAllocations = arguments.Has("--allocations"),
        };
    }

    private static int Count(Arguments arguments, string name, int otherwise) =>
        arguments.Value(name) is not { } value ? otherwise
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1_000 ? n
        : throw new UsageException($"{name} is a number from 1 to 1000, not '{value}'.");
}
