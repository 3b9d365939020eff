using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// The running report of a containment (or of one of its groups of waves), put together from what it runs: each
/// wave's or group's steps once planned and once done, its counts and pending decisions as it reports them. The full
/// report is the output; what it publishes as custom status while running is the bounded <see cref="ContainmentStatus"/>.
/// </summary>
internal sealed class ContainmentProgress
{
    private readonly TaskOrchestrationContext _context;
    private readonly string _incidentId;
    private readonly ContainmentMode _mode;
    private readonly IReadOnlyList<UnresolvedTarget> _unresolved;
    private readonly SortedDictionary<int, StepReport> _steps = [];
    private readonly SortedDictionary<int, WaveProgress> _waves = [];
    private readonly HashSet<int> _planned = [];
    private readonly HashSet<int> _done = [];
    private ContainmentPhase _phase = ContainmentPhase.Planning;

    public ContainmentProgress(TaskOrchestrationContext context, ContainmentRequest request, PreparedContainment prepared)
        : this(context, request.IncidentId, request.Mode, prepared.Steps, prepared.Unresolved)
    {
    }

    public ContainmentProgress(
        TaskOrchestrationContext context, string incidentId, ContainmentMode mode, IEnumerable<StepContext> steps, IReadOnlyList<UnresolvedTarget> unresolved)
    {
        _context = context;
        _incidentId = incidentId;
        _mode = mode;
        _unresolved = unresolved;
        foreach (var s in steps)
        {
            var descriptor = ActionCatalog.Get(s.Action);
            _steps[s.Index] = new StepReport(s.Index, s.Action, descriptor.Title, descriptor.Priority, s.Target);
        }

        PublishStatus();
    }

    /// <summary>Waves (or groups) that reported their plans (or finished): the incident's plan comment waits for all of them.</summary>
    public int Planned => _planned.Union(_done).Count();

    /// <summary>Decisions awaited by the waves (or groups) still running, as they last said.</summary>
    public int PendingCount => _waves.Values.Sum(w => w.PendingCount);

    public StepCounts Counts => _waves.Values.Aggregate(StepCounts.None, (sum, w) => sum.Plus(w.Counts));

    /// <summary>The first decisions awaited, as the status lists them.</summary>
    public IReadOnlyList<PendingDecision> Pending => [.. _waves.Values.SelectMany(w => w.Pending).Take(ContainmentStatus.MaxPendingListed)];

    /// <summary>Every step as it stands, in the containment's order.</summary>
    public IReadOnlyList<StepReport> Steps => [.. _steps.Values];

    /// <summary>What a running wave said; a word from a wave already done (events may arrive after its result) is old news.</summary>
    public void Hear(WaveProgress progress)
    {
        if (_done.Contains(progress.Wave))
        {
            return;
        }

        _waves[progress.Wave] = progress;
        if (progress.Stage == WaveStage.Planned)
        {
            _planned.Add(progress.Wave);
        }

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

    /// <summary>A wave (or group) that failed as a whole (not a step: those are caught in the wave) leaves its steps marked with the engine's error.</summary>
    public void Fail(int number, IReadOnlyList<StepContext> steps, ErrorInfo error)
    {
        foreach (var step in steps)
        {
            _steps[step.Index] = _steps[step.Index] with { Error = _steps[step.Index].Error ?? error };
        }

        Complete(new WaveReport(number, [.. steps.Select(s => _steps[s.Index])]));
    }

    /// <summary>Enters <paramref name="phase"/> and returns the full report as it stands (for the incident's comments and the output).</summary>
    public ContainmentReport Publish(ContainmentPhase phase)
    {
        _phase = phase;
        PublishStatus();
        return new ContainmentReport(_context.InstanceId, _incidentId, _mode, phase, [.. _steps.Values], _unresolved, []);
    }

    private void Merge(IEnumerable<StepReport> steps)
    {
        foreach (var step in steps)
        {
            _steps[step.Index] = step;
        }
    }

    private void PublishStatus() =>
        _context.SetCustomStatus(new ContainmentStatus(_incidentId, _mode, _phase, _steps.Count, Counts, PendingCount, Pending));
}
