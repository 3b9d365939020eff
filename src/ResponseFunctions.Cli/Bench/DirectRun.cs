using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResponseFunctions.Cli.Commands;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Hosting;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.Playbook.Requests;
using ResponseFunctions.SimulatedTenant;
using Tenant = ResponseFunctions.SimulatedTenant.SimulatedTenant;

namespace ResponseFunctions.Cli.Bench;

/// <summary>
/// The same containment without the engine: on a fresh tenant of the same size and throttling, the same activities
/// (plan, intent, apply, verify, each journaled) called directly, action by action in the sheet's order, a wave's
/// worth of steps at once as the engine's batches do, with the same parallelism. What the engine run takes beyond this,
/// per step, is the engine's overhead.
/// </summary>
internal static class DirectRun
{
    public static async Task<(double WallSeconds, int Steps)> RunAsync(BenchSettings settings, ContainmentPolicy policy, ContainmentRequest request, CancellationToken cancellationToken)
    {
        await using var tenant = await Tenant.StartInProcessAsync(PasswordSprayScenario.Build(settings.Users), ct: cancellationToken);
        tenant.Throttling.Enable(new ThrottlingOptions(settings.TenantSize, settings.Latency));
        var graph = PlaybookGraphClient.Create(new LoopbackCredential(), tenant.GraphBaseUrl, tenant.CreateHandler(), batchWindow: settings.BatchWindow);
        var journalPath = Path.Combine(Path.GetTempPath(), $"bench-direct-{Guid.NewGuid():N}.jsonl");
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(graph)
            .AddSingleton<IJournal>(new JsonLinesJournal(journalPath))
            .AddSingleton(Options.Create(policy))
            .AddSingleton(Options.Create(settings.Engine))
            .AddContainmentPlaybook()
            .AddDrillExchangeOnline(tenant, null)
            .AddDrillIncidentReporter(tenant)
            .AddDrillAzureResources(tenant, null)
            .AddSingleton<IApprovalNotifier>(new CardMeter());
        await using var provider = services.BuildServiceProvider();
        var activities = provider.GetRequiredService<ContainmentActivities>();
        try
        {
            var clock = Stopwatch.StartNew();
            var prepared = await activities.PrepareAsync(new PrepareInput("bench-direct", request, DateTimeOffset.UtcNow), cancellationToken);
            // Waves of targets as the engine makes them (the tenant's own step goes with the first).
            var waves = prepared.Steps.Select(s => s.Target).Distinct().Chunk(Math.Max(1, settings.Engine.WaveSize))
                .Select(chunk => chunk.ToHashSet()).Select(chunk => prepared.Steps.Where(s => chunk.Contains(s.Target)).ToList()).ToList();
            var parallel = Math.Max(1, settings.Engine.MaxParallelSteps);
            await Parallel.ForEachAsync(waves, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.Engine.MaxParallelWaves), CancellationToken = cancellationToken },
                async (wave, ct) =>
                {
                    foreach (var action in wave.GroupBy(s => s.Action).OrderBy(g => ActionCatalog.Get(g.Key).Priority).ThenBy(g => ActionCatalog.Get(g.Key).Order))
                    {
                        List<StepContext> steps = [.. action];
                        var plans = await activities.PlanStepsAsync(new StepBatch(steps, parallel), ct);
                        List<StepWork> work = [.. steps.Select((s, i) => (s, plans[i])).Where(p => p.Item2?.Status == PlanStatus.ChangeRequired).Select(p => new StepWork(p.s, p.Item2!))];
                        if (work.Count > 0)
                        {
                            await activities.ApplyAndVerifyStepsAsync(new WorkBatch(work, parallel), ct);
                        }
                    }
                });
            return (clock.Elapsed.TotalSeconds, prepared.Steps.Count);
        }
        finally
        {
            File.Delete(journalPath);
        }
    }
}
