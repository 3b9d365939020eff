using System.Text.Json.Serialization;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// One wave of a containment: the steps of up to <see cref="ContainmentEngineOptions.WaveSize"/> targets, run by
/// <see cref="ContainmentWaveOrchestrator"/> as a sub-orchestration. Carries only what its own targets need (their
/// steps and roles), so its input and history stay the same size whatever the incident's size.
/// </summary>
/// <param name="ParentInstanceId">The containment's instance id: what the API, the journal and the approval links name.</param>
public sealed record ContainmentWave(
    string ParentInstanceId,
    int Number,
    int Of,
    string IncidentId,
    ContainmentMode Mode,
    [property: JsonConverter(typeof(StepTableJsonConverter))] IReadOnlyList<StepContext> Steps,
    ApprovalRules Approval,
    string Actor)
{
    public IncidentSeverity? Severity { get; init; }

    public ContainmentEngineOptions Engine { get; init; } = new();

    /// <summary>The incident's briefing with the roles of this wave's targets only.</summary>
    public IncidentBriefing? Briefing { get; init; }

    public TimeSpan AlertRecheckDelay { get; init; }

    /// <summary>
    /// Whether the wave sends its planned steps to the containment (for the incident's plan comment, posted when a
    /// Sentinel incident started it). Otherwise it sends counts only, and its steps travel once, in its result: every
    /// event the containment hears is in its history, read again at each of its replays.
    /// </summary>
    public bool SharesPlans { get; init; }

    /// <summary>
    /// The instance the wave tells where it stands (<see cref="WaveProgress"/>): the containment, or the group of waves
    /// that runs it (<see cref="WaveGroup"/>) when the incident has more waves than one instance should run.
    /// </summary>
    public string? ReportTo { get; init; }

    public ApprovalContext? ContextFor(ActionTarget target) => Briefing?.For(target);

    /// <summary>
    /// The wave's instance id. Incident ids never hold a colon (the request parser), so no containment's own id can
    /// take the shape of another's wave; the colon is also how Durable names sub-orchestrations by default.
    /// </summary>
    public static string InstanceIdOf(string parentInstanceId, int number) => $"{parentInstanceId}:wave-{number:000}";

    /// <summary>
    /// Cuts the prepared steps into waves of <see cref="ContainmentEngineOptions.WaveSize"/> targets, in the order the
    /// targets first appear; a tenant-wide step (1.e, 2.g, Case 4) runs once, in the first wave. A target's steps all
    /// belong to one wave and keep the sheet's order there.
    /// </summary>
    public static IReadOnlyList<ContainmentWave> Split(string parentInstanceId, ContainmentRequest request, PreparedContainment prepared)
    {
        var size = Math.Max(1, prepared.Engine.WaveSize);
        var targets = prepared.Steps.Select(s => s.Target).Where(t => t.Kind != TargetKind.Tenant).Distinct().ToList();
        var waveOf = targets.Select((t, i) => (t, i / size)).ToDictionary(p => p.t, p => p.Item2 + 1);
        var count = Math.Max(1, (targets.Count + size - 1) / size);
        // One pass over the steps (the containment cuts them again at each of its replays).
        var stepsOf = prepared.Steps.ToLookup(s => s.Target.Kind == TargetKind.Tenant ? 1 : waveOf[s.Target]);
        var waveOfId = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (target, number) in waveOf)
        {
            waveOfId.TryAdd(target.Id, number);
        }

        var rolesOf = prepared.Briefing?.RolesByTarget.ToLookup(r => waveOfId.GetValueOrDefault(r.Key));
        return [.. Enumerable.Range(1, count).Select(number =>
        {
            List<StepContext> steps = [.. stepsOf[number]];
            return new ContainmentWave(parentInstanceId, number, count, request.IncidentId, request.Mode, steps, prepared.Approval, prepared.Actor)
            {
                Severity = prepared.Severity,
                Engine = prepared.Engine,
                Briefing = prepared.Briefing is { } briefing
                    ? briefing with { RolesByTarget = rolesOf![number].ToDictionary(r => r.Key, r => r.Value, StringComparer.OrdinalIgnoreCase) }
                    : null,
                AlertRecheckDelay = prepared.AlertRecheckDelay,
                SharesPlans = request.Triage?.Source.SentinelIncidentArmId is not null,
            };
        })];
    }
}

/// <summary>What a wave returns to its containment: the story of each of its steps.</summary>
public sealed record WaveReport(int Number, IReadOnlyList<StepReport> Steps);

/// <summary>
/// What a wave tells its containment while it runs (an event on the containment's instance), so that the containment's
/// status counts every wave and lists the decisions awaited: once planned (with its steps), and whenever its pending
/// decisions change. A handful per wave, so the containment's history grows with the number of waves only.
/// </summary>
public sealed record WaveProgress(int Wave, WaveStage Stage, StepCounts Counts, int PendingCount, IReadOnlyList<PendingDecision> Pending)
{
    public const string EventName = "containment:wave-progress";

    /// <summary>With <see cref="WaveStage.P0Done"/>: the P0 slots given back (a wave holds one; a group gives back those it no longer needs).</summary>
    public int Slots { get; init; } = 1;

    /// <summary>The wave's steps once planned (only with <see cref="WaveStage.Planned"/>, when <see cref="ContainmentWave.SharesPlans"/>): what the incident's plan comment shows.</summary>
    public IReadOnlyList<StepReport>? Steps { get; init; }
}

public enum WaveStage
{
    Planned,
    Deciding,

    /// <summary>
    /// Every P0 step of the wave is applied (or decided against): its slot goes to the next wave's P0, while its P1
    /// steps go on. From a group: it has no wave left to start, and gives back <see cref="WaveProgress.Slots"/> slots.
    /// </summary>
    P0Done,
}
