using Microsoft.DurableTask;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// A group of a containment's waves, as a sub-orchestration: runs them (or groups of them) as the containment would,
/// with the P0 slots its parent gives it, and gives the slots back once it has no wave left to start. It tells its
/// parent only what the parent's status needs, a bounded number of times: once planned, when decisions start or stop
/// being awaited, and when it gives slots back. Its result is its waves' steps.
/// </summary>
[DurableTask(Name)]
public sealed class ContainmentWaveGroupOrchestrator : TaskOrchestrator<WaveGroup, WaveReport>
{
    public const string Name = "ContainmentWaveGroupOrchestrator";

    public override async Task<WaveReport> RunAsync(TaskOrchestrationContext context, WaveGroup group)
    {
        var first = group.Waves[0];
        var progress = new ContainmentProgress(context, first.IncidentId, first.Mode, [.. group.Waves.SelectMany(w => w.Steps)], []);
        progress.Publish(first.Mode == Requests.ContainmentMode.Plan ? ContainmentPhase.Planning : ContainmentPhase.Containing);
        await new WaveScheduler(context, group.Waves, progress, group.Slots, group.ReportTo).RunAsync(allPlanned: null);
        return new WaveReport(group.Number, progress.Steps);
    }
}
