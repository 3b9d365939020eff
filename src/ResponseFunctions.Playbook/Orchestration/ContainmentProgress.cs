using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// The containment's running report, put together from its waves: each wave's steps once it planned and once it is
/// done, its counts and pending decisions as it reports them. The full report is the containment's output; what it
/// publishes as custom status while running is the bounded <see cref="ContainmentStatus"/>.
/// </summary>
internal sealed class ContainmentProgress
{
    private readonly TaskOrchestrationContext _context;
    private readonly ContainmentRequest _request;
    private readonly IReadOnlyList<UnresolvedTarget> _unresolved;
    private readonly SortedDictionary<int, StepReport> _steps = [];
    private readonly SortedDictionary<int, WaveProgress> _waves = [];
    private readonly HashSet<int> _done = [];
    private ContainmentPhase _phase = ContainmentPhase.Planning;

    public ContainmentProgress(TaskOrchestrationContext context, ContainmentRequest request, PreparedContainment prepared)
    {
        _context = context;
        _request = request;
        _unresolved = prepared.Unresolved;
        foreach (var s in prepared.Steps)
        {
            var descriptor = ActionCatalog.Get(s.Action);
            _steps[s.Index] = new StepReport(s.Index, s.Action, descriptor.Title, descriptor.Priority, s.Target);
        }

        PublishStatus();
    }

    /// <summary>Waves that reported their plans (or finished): the incident's plan comment waits for all of them.</summary>
    public int Planned => _waves.Keys.Union(_done).Count();

    /// <summary>What a running wave said; a word from a wave already done (events may arrive after its result) is old news.</summary>
    public void Hear(WaveProgress progress)
    {
        if (_done.Contains(progress.Wave))
        {
            return;
        }

        _waves[progress.Wave] = progress;
        Merge(progress.Steps ?? []);
        PublishStatus();
    }

    public void Complete(WaveReport report)
    {
        _done.Add(report.Number);
        Merge(report.Steps);
        _waves[report.Number] = new WaveProgress(report.Number, WaveStage.Deciding, StepCounts.Of([.. report.Steps]), 0, []);
        PublishStatus();
    }

    /// <summary>A wave that failed as a whole (not a step: those are caught in the wave) leaves its steps marked with the engine's error.</summary>
    public void Fail(ContainmentWave wave, ErrorInfo error)
    {
        foreach (var step in wave.Steps)
        {
            _steps[step.Index] = _steps[step.Index] with { Error = _steps[step.Index].Error ?? error };
        }

        Complete(new WaveReport(wave.Number, [.. wave.Steps.Select(s => _steps[s.Index])]));
    }

    /// <summary>Enters <paramref name="phase"/> and returns the full report as it stands (for the incident's comments and the output).</summary>
    public ContainmentReport Publish(ContainmentPhase phase)
    {
        _phase = phase;
        PublishStatus();
        return new ContainmentReport(_context.InstanceId, _request.IncidentId, _request.Mode, phase, [.. _steps.Values], _unresolved, []);
    }

    private void Merge(IEnumerable<StepReport> steps)
    {
        foreach (var step in steps)
        {
            _steps[step.Index] = step;
        }
    }

    private void PublishStatus() => _context.SetCustomStatus(ContainmentStatus.Of(
        _request,
        _phase,
        _steps.Count,
        _waves.Values.Aggregate(StepCounts.None, (sum, w) => sum.Plus(w.Counts)),
        _waves.Values.Sum(w => w.PendingCount),
        _waves.Values.SelectMany(w => w.Pending)));
}
