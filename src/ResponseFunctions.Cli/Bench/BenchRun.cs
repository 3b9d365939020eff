using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResponseFunctions.Cli.Commands;
using ResponseFunctions.InProcess;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Hosting;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Journal.Blob;
using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.Playbook.Requests;
using ResponseFunctions.SimulatedTenant;
using Tenant = ResponseFunctions.SimulatedTenant.SimulatedTenant;

namespace ResponseFunctions.Cli.Bench;

/// <summary>
/// One measured containment: N sprayed accounts seeded in a throttling simulated tenant, Case 1 run in the real Durable
/// Task engine in-process with every step pre-approved by policy, then the figures. Asserts nothing about time.
/// </summary>
internal static class BenchRun
{
    public static async Task<BenchResult> RunAsync(BenchSettings settings, string journalPath, CancellationToken cancellationToken)
    {
        await using var tenant = await Tenant.StartInProcessAsync(PasswordSprayScenario.Build(settings.Users), ct: cancellationToken);
        tenant.Throttling.Enable(new ThrottlingOptions(settings.TenantSize, settings.Latency));
        var graph = PlaybookGraphClient.Create(new LoopbackCredential(), tenant.GraphBaseUrl, tenant.CreateHandler(), batchWindow: settings.BatchWindow);
        var clock = new Stopwatch();
        var blob = BlobJournalOf(settings);
        var journal = new TimedJournal(blob is null ? new JsonLinesJournal(journalPath) : blob, clock);
        var cards = new CardMeter();
        using var sampler = settings.SampleAllocations ? new AllocationSampler() : null;
        var memory = ProcessMeter.Start();

        await using var engine = await InProcessEngine.StartAsync(
            services => services
                .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
                .AddSingleton(graph)
                .AddSingleton<IJournal>(journal)
                .AddSingleton(Options.Create(PreApprovedPolicy()))
                .AddSingleton(Options.Create(settings.Engine))
                .AddContainmentPlaybook()
                .AddDrillExchangeOnline(tenant, null)
                .AddDrillIncidentReporter(tenant)
                .AddDrillAzureResources(tenant, null)
                .AddSingleton<IApprovalNotifier>(cards),
            // Nothing should wait for a person; if a step ever did, it is approved rather than left hanging.
            new FixedApprovalChannel(ApprovalVerdict.Approve, "bench", TimeProvider.System),
            cancellationToken: cancellationToken);

        var request = Incident(settings.Users);
        var started = DateTimeOffset.UtcNow;
        clock.Start();
        var instanceId = await engine.StartAsync(request, cancellationToken);
        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var statusSampler = new CustomStatusSampler(engine.Client, instanceId, TimeSpan.FromSeconds(1));
        var sampling = statusSampler.RunAsync(stopSampling.Token);
        string outcome;
        try
        {
            var report = await engine.WaitForReportAsync(instanceId, cancellationToken);
            outcome = $"completed: {report.Steps.Count} steps";
        }
        catch (ContainmentFailedException ex)
        {
            outcome = $"{ex.Status}: {ex.Failure?.ErrorMessage}";
        }

        clock.Stop();
        await stopSampling.CancelAsync();
        await sampling;

        var allocated = memory.AllocatedMb;
        var byType = sampler?.Top(25);
        sampler?.Dispose();
        var histories = HistoryMeter.Of(engine.HistoryEvents, engine.HistoryBytesReplayed, instanceId);
        var tally = RequestTally.Of(tenant.Requests.Snapshot());
        var wall = clock.Elapsed.TotalSeconds;
        var bound = tally.Bound.TotalSeconds;
        var p0 = ActionCatalog.ForCase(CaseId.CompromisedAccount).Where(a => a.Priority == Priority.P0).Select(a => a.Id.ToString()).ToHashSet();
        var p0Entries = journal.Written.Where(w => p0.Contains(w.Entry.Action)).ToList();
        var result = new BenchResult(
            settings.Users,
            tally.Requests,
            tally.Writes,
            Math.Round(tally.Requests / (double)settings.Users, 2),
            tally.Throttled,
            Math.Round(wall, 3),
            Math.Round(bound, 3),
            bound > 0 ? Math.Round(wall / bound, 3) : null,
            tally.FirstWrite is { } first ? Math.Round((first - started).TotalSeconds, 3) : null,
            p0Entries.Count > 0 ? Math.Round(p0Entries.Max(w => w.At).TotalSeconds, 3) : null,
            Math.Round(ProcessMeter.PeakWorkingSetMb, 1),
            Math.Round(allocated, 1),
            // The blob journal's lines also carry their place in the chain; counted here as JSON Lines, like the file.
            blob is null ? new FileInfo(journalPath).Length : journal.Written.Sum(w => (long)System.Text.Encoding.UTF8.GetByteCount(JournalJson.ToLine(w.Entry)) + 1),
            histories.MaxEvents,
            histories.Instances,
            statusSampler.MaxChars,
            journal.Written.Count(w => w.Entry.Action == JournalEvents.ApprovalRequested),
            cards.LargestCardBytes,
            settings.TenantSize.ToString().ToLowerInvariant(),
            (int)settings.Latency.TotalMilliseconds,
            outcome)
        {
            Routes = RouteCounts.Of(tenant.Requests.Snapshot()),
            Applied = journal.Written.Where(w => w.Entry.Outcome.StartsWith("apply:", StringComparison.Ordinal))
                .GroupBy(w => w.Entry.Action).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => new[] { Math.Round(g.Min(w => w.At).TotalSeconds, 1), Math.Round(g.Max(w => w.At).TotalSeconds, 1) }),
            GraphCalls = tally.Calls,
            Batches = tenant.Requests.Snapshot().Count(r => r.PathAndQuery.StartsWith("/v1.0/$batch", StringComparison.OrdinalIgnoreCase)),
            AllocationsByType = byType,
            MaxHistoryByKind = histories.ByKind,
            HistoryReplayedMb = histories.ReplayedMbByKind,
        };

        if (blob is not null)
        {
            var verified = await blob.VerifyAsync(request.IncidentId, null, cancellationToken);
            result = result with { JournalVerified = verified.ToString(), JournalBlocks = blob.Appends.Blocks };
        }

        // Measured once the figures above are taken, so its memory and requests are not counted in them.
        var directMemory = ProcessMeter.Start();
        var (directWall, steps) = await DirectRun.RunAsync(settings, PreApprovedPolicy(), Incident(settings.Users), cancellationToken);
        return result with
        {
            DirectWallSeconds = Math.Round(directWall, 3),
            DirectAllocatedMb = Math.Round(directMemory.AllocatedMb, 1),
            EngineOverheadMsPerStep = steps > 0 ? Math.Round((wall - directWall) * 1000 / steps, 2) : null,
        };
    }

    /// <summary>The blob journal the run writes to when asked (a fresh container and chain key per run), else null.</summary>
    internal static BlobJournal? BlobJournalOf(BenchSettings settings)
    {
        if (settings.BlobJournalVariable is not { } variable)
        {
            return null;
        }

        var connection = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"--blob-journal-env names {variable}, which holds no connection string.");
        return new BlobJournal(BlobStore.FromConnectionString(connection), JournalChainKey.FromBase64(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))),
            $"bench-{Guid.NewGuid():N}"[..30]);
    }

    /// <summary>
    /// The compromised-account drill's policy with every Case 1 action pre-approved, so the run measures the containment
    /// and not a person. Pre-approval is refused for two-person actions, so none is left requiring two.
    /// </summary>
    private static ContainmentPolicy PreApprovedPolicy()
    {
        var policy = DrillSettings.LoadDrill("compromised-account")["policy"].Deserialize<ContainmentPolicy>(DrillSettings.PolicyJson) ?? new ContainmentPolicy();
        policy.TwoPersonActions = [];
        policy.PreApprovedActions = [.. ActionCatalog.ForCase(CaseId.CompromisedAccount).Select(a => a.Id.ToString())];
        return policy;
    }

    /// <summary>The attacker's addresses of the compromised-account drill: the spray came from the same infrastructure.</summary>
    private static List<string> AttackerIps() =>
        [.. DrillSettings.LoadDrill("compromised-account")["incident"]!["targets"]!["ips"]!.AsArray().Select(ip => ip!.GetValue<string>())];

    /// <summary>
    /// The incident as a ContainmentRequest built directly: the request parser caps an ordinary incident's targets
    /// (and a mass compromise waits for a person at every step), which is what issue 8 measures against, not what it times.
    /// </summary>
    private static ContainmentRequest Incident(int users) => new(
        $"BENCH-SPRAY-{users}",
        [CaseId.CompromisedAccount],
        new ContainmentTargets([.. Enumerable.Range(0, users).Select(i => PasswordSprayScenario.UserPrincipalName(i))], AttackerIps(), []),
        ContainmentMode.Contain,
        $"Bench: password spray, {users} accounts compromised.",
        "bench");
}
