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
/// (plan, intent, apply, verify, each journaled) called directly, scheduled as the containment schedules them: waves
/// with the same P0 slots, both priorities planned at once, then action by action in the sheet's order, a wave's worth
/// of steps at once as the engine's batches do, with the same parallelism, and the same kind of journal. What the engine run takes beyond this,
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
            .AddSingleton<IJournal>((IJournal?)BenchRun.BlobJournalOf(settings) ?? new JsonLinesJournal(journalPath))
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
            var p0Slots = Math.Max(1, settings.Engine.MaxParallelWaves);
            using var inP0 = new SemaphoreSlim(p0Slots);
            using var running = new SemaphoreSlim(Math.Max(p0Slots, settings.Engine.MaxRunningWaves));
            await Task.WhenAll(waves.Select(async wave =>
            {
                // As the containment schedules its waves: a slot for the wave's P0 steps, given back once they are done.
                await running.WaitAsync(cancellationToken);
                await inP0.WaitAsync(cancellationToken);
                var p0Held = true;
                try
                {
                    // Both priorities planned at once, P0's applied first, action by action in the sheet's order.
                    var passes = wave.GroupBy(s => ActionCatalog.Get(s.Action).Priority).OrderBy(g => g.Key)
                        .Select(g => (Priority: g.Key, Steps: g.ToList())).ToList();
                    var planning = passes.Select(p => activities.PlanStepsAsync(new StepBatch(p.Steps, parallel), cancellationToken)).ToList();
                    for (var i = 0; i < passes.Count; i++)
                    {
                        var plans = await planning[i];
                        var planned = passes[i].Steps.Select((s, k) => (Step: s, Plan: plans[k])).Where(p => p.Plan?.Status == PlanStatus.ChangeRequired);
                        foreach (var action in planned.GroupBy(p => p.Step.Action))
                        {
                            await activities.ApplyAndVerifyStepsAsync(new WorkBatch([.. action.Select(p => new StepWork(p.Step, p.Plan!))], parallel), cancellationToken);
                        }

                        if (passes[i].Priority == Priority.P0)
                        {
                            inP0.Release();
                            p0Held = false;
                        }
                    }
                }
                finally
                {
                    if (p0Held)
                    {
                        inP0.Release();
                    }

                    running.Release();
                }
            }));
            return (clock.Elapsed.TotalSeconds, prepared.Steps.Count);
        }
        finally
        {
            File.Delete(journalPath);
        }
    }
}
