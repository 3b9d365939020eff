using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// Runs a containment's waves inside one instance (the containment, or a <see cref="WaveGroup"/>): the waves
/// themselves when they are at most <see cref="ContainmentEngineOptions.MaxWavesPerGroup"/>, else groups of them.
/// <para>
/// P0 slots bound how many waves are in their P0 steps at once, across the whole containment
/// (<see cref="ContainmentEngineOptions.MaxParallelWaves"/>). A wave holds one while in P0 and gives it back when its
/// P0 changes are done, so the next wave's resets never queue behind slow P1 work. A group holds the slots it was
/// given or granted; once it has no wave left to start it gives each freed slot back to its parent, which grants it to
/// its next group (starting it) or gives it back in turn. So slots move between groups one event at a time, and each
/// group hears and says a bounded number of things whatever the incident's size.
/// </para>
/// </summary>
internal sealed class WaveScheduler
{
    private readonly TaskOrchestrationContext _context;
    private readonly ContainmentProgress _progress;
    private readonly string? _parent;
    private readonly IReadOnlyList<Child> _children;
    private readonly bool _childrenAreGroups;
    private readonly int _maxRunningWaves;
    private readonly bool _sharesPlans;
    private readonly List<(Task<WaveReport> Task, Child Child)> _running = [];

    /// <summary>P0 slots held by each running child, by its number.</summary>
    private readonly Dictionary<int, int> _held = [];

    /// <summary>Groups that gave slots back: they have no wave left to start and are granted no more.</summary>
    private readonly HashSet<int> _draining = [];

    private int _slots;
    private int _next;
    private Child? _latestGroup;
    private bool _toldPlanned;
    private bool _toldPending;

    /// <param name="slots">The P0 slots this instance holds at first: the containment's all, or what a group's parent gave it.</param>
    /// <param name="parent">The group's parent, told where the group stands and given slots back; null for the containment.</param>
    public WaveScheduler(TaskOrchestrationContext context, IReadOnlyList<ContainmentWave> waves, ContainmentProgress progress, int slots, string? parent)
    {
        _context = context;
        _progress = progress;
        _parent = parent;
        _slots = Math.Max(1, slots);
        var engine = waves[0].Engine;
        _maxRunningWaves = Math.Max(Math.Max(1, engine.MaxParallelWaves), engine.MaxRunningWaves);
        _sharesPlans = waves[0].SharesPlans;
        var groups = WaveGroup.Split(waves, engine.MaxWavesPerGroup);
        _childrenAreGroups = groups.Count > 0;
        _children = _childrenAreGroups
            ? [.. groups.Select(g => new Child(g[0].Number, [.. g.SelectMany(w => w.Steps)], null, g))]
            : [.. waves.Select(w => new Child(w.Number, w.Steps, w, null))];
    }

    /// <summary>Children run by this instance: the other instances it waits for.</summary>
    public int Children => _children.Count;

    /// <param name="allPlanned">Called once, when every child has planned (the containment's plan comment).</param>
    public async Task RunAsync(Func<Task>? allPlanned)
    {
        Task<WaveProgress>? heard = null;
        Task<int>? granted = null;
        var planned = false;
        while (_next < _children.Count || _running.Count > 0)
        {
            HandOutSlots();

            // One listener per event at a time: an event that arrives while none listens is buffered by the engine for the next.
            heard ??= _context.WaitForExternalEvent<WaveProgress>(WaveProgress.EventName);
            if (_parent is not null)
            {
                granted ??= _context.WaitForExternalEvent<int>(WaveGroup.SlotsEventName);
            }

            var listening = _running.Select(r => (Task)r.Task).Append(heard);
            var done = await Task.WhenAny(granted is null ? listening : listening.Append(granted));
            if (done == heard)
            {
                Hear(await heard);
                heard = null;
            }
            else if (done == granted)
            {
                _slots += Math.Max(0, await granted);
                granted = null;
            }
            else
            {
                await CompleteAsync(_running.First(r => r.Task == done));
            }

            if (!planned && _progress.Planned == _children.Count)
            {
                planned = true;
                if (allPlanned is not null)
                {
                    await allPlanned();
                }
            }

            TellParent();
        }
    }

    /// <summary>Starts children with the slots nobody holds, grants them to the group starting its waves, or gives them back.</summary>
    private void HandOutSlots()
    {
        var free = _slots - _held.Values.Sum();
        if (_childrenAreGroups)
        {
            if (free > 0 && _latestGroup is { } latest && _held.ContainsKey(latest.Number) && !_draining.Contains(latest.Number))
            {
                _context.SendEvent(WaveGroup.InstanceIdOf(latest.Waves![0].ParentInstanceId, latest.Number, latest.Waves[^1].Number), WaveGroup.SlotsEventName, free);
                _held[latest.Number] += free;
                free = 0;
            }
            else if (free > 0 && _next < _children.Count)
            {
                var group = new WaveGroup(_context.InstanceId, free, _children[_next].Waves!);
                Start(_children[_next++], _context.RunWaveGroupAsync(group), free);
                _latestGroup = _running[^1].Child;
                free = 0;
            }
        }
        else
        {
            while (free > 0 && _next < _children.Count && _running.Count < _maxRunningWaves)
            {
                var wave = _children[_next].Wave!;
                Start(_children[_next++], _context.RunWaveAsync(_parent is null ? wave : wave with { ReportTo = _context.InstanceId }), 1);
                free--;
            }
        }

        var startingNoMore = _next == _children.Count
            && (!_childrenAreGroups || _latestGroup is null || !_held.ContainsKey(_latestGroup.Number) || _draining.Contains(_latestGroup.Number));
        if (free > 0 && _parent is not null && startingNoMore)
        {
            _slots -= free;
            Tell(WaveStage.P0Done, free);
        }
    }

    private void Start(Child child, Task<WaveReport> task, int slots)
    {
        _running.Add((task, child));
        _held[child.Number] = slots;
    }

    private void Hear(WaveProgress said)
    {
        _progress.Hear(said);
        if (said.Stage == WaveStage.P0Done && _held.TryGetValue(said.Wave, out var held))
        {
            _held[said.Wave] = Math.Max(0, held - Math.Max(0, said.Slots));
            if (_childrenAreGroups)
            {
                _draining.Add(said.Wave);
            }
        }
    }

    private async Task CompleteAsync((Task<WaveReport> Task, Child Child) finished)
    {
        _running.Remove(finished);
        _held.Remove(finished.Child.Number);
        try
        {
            _progress.Complete(await finished.Task);
        }
        catch (TaskFailedException failure)
        {
            _progress.Fail(finished.Child.Number, finished.Child.Steps, TaskFailures.ToErrorInfo(failure));
        }
    }

    /// <summary>
    /// A group tells its parent that it has planned (once, with its steps when the plan comment needs them), then
    /// whenever decisions start or stop being awaited in it: what the containment's status shows, a bounded number of
    /// times per group. Its steps' full story travels once, in its result.
    /// </summary>
    private void TellParent()
    {
        if (_parent is null)
        {
            return;
        }

        if (!_toldPlanned && _progress.Planned == _children.Count)
        {
            _toldPlanned = true;
            _toldPending = _progress.PendingCount > 0;
            Tell(WaveStage.Planned, 0);
        }
        else if (_toldPlanned && _toldPending != _progress.PendingCount > 0)
        {
            _toldPending = !_toldPending;
            Tell(WaveStage.Deciding, 0);
        }
    }

    private void Tell(WaveStage stage, int slots) =>
        _context.SendEvent(_parent!, WaveProgress.EventName, new WaveProgress(_children[0].Number, stage, _progress.Counts, _progress.PendingCount, _progress.Pending)
        {
            Slots = slots,
            Steps = stage == WaveStage.Planned && _sharesPlans ? _progress.Steps : null,
        });

    /// <summary>A wave, or a group of waves (<see cref="Waves"/>), numbered by its first wave.</summary>
    private sealed record Child(int Number, IReadOnlyList<StepContext> Steps, ContainmentWave? Wave, IReadOnlyList<ContainmentWave>? Waves);
}
