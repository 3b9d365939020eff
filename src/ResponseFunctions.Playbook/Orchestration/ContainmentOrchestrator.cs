using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Intake.Reporting;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// The containment, as a Durable Task orchestrator: prepare, then run the steps in waves of targets, each wave a
/// sub-orchestration (<see cref="ContainmentWaveOrchestrator"/>) that plans its steps, asks for its decisions and
/// applies them in the sheet's order. Waves run side by side (at most <see cref="ContainmentEngineOptions.MaxParallelWaves"/>
/// in their P0 steps), so one target's P0 changes start once its own wave's plans are decided; an incident of more
/// waves than <see cref="ContainmentEngineOptions.MaxWavesPerGroup"/> runs them in groups
/// (<see cref="ContainmentWaveGroupOrchestrator"/>), so no instance's history grows with the incident. The same class runs in Azure Functions, in the drills and in the tests. Deterministic: all I/O happens in
/// activities, time comes from the context, and a failed step is recorded without stopping the others.
/// </summary>
[DurableTask(Name)]
public sealed class ContainmentOrchestrator : TaskOrchestrator<ContainmentRequest, ContainmentReport>
{
    public const string Name = "ContainmentOrchestrator";

    // Until Prepare returns the engine settings (read by an activity, so that a replay sees the same values).
    private TaskOptions _retry = ContainmentTasks.Retried(new ContainmentEngineOptions());

    public override async Task<ContainmentReport> RunAsync(TaskOrchestrationContext context, ContainmentRequest request)
    {
        var prepared = await context.PrepareAsync(new PrepareInput(context.InstanceId, request, context.UtcNow()), _retry);
        _retry = ContainmentTasks.Retried(prepared.Engine);
        var progress = new ContainmentProgress(context, request, prepared);
        var waves = ContainmentWave.Split(context.InstanceId, request, prepared);

        await RunWavesAsync(context, request, prepared, waves, progress);
        if (request.Mode == ContainmentMode.Contain)
        {
            await ReportToIncidentAsync(context, request, IncidentPhase.Decisions, progress.Publish(ContainmentPhase.Containing));
        }

        var final = progress.Publish(request.Mode == ContainmentMode.Plan ? ContainmentPhase.Planned : ContainmentPhase.Completed);
        await context.RecordAsync(CompletionEntry(context, request, prepared.Actor, final), _retry);
        if (request.Mode == ContainmentMode.Contain)
        {
            await ReportToIncidentAsync(context, request, IncidentPhase.Results, final);
        }

        return final with { JournalAnchor = await ReadJournalAnchorAsync(context, request.IncidentId) };
    }

    /// <summary>
    /// Runs the waves (in groups when there are more than one instance should run, see <see cref="WaveScheduler"/>),
    /// listening to what they report for the status and the incident's plan comment, posted once every wave has planned.
    /// </summary>
    private async Task RunWavesAsync(
        TaskOrchestrationContext context, ContainmentRequest request, PreparedContainment prepared, IReadOnlyList<ContainmentWave> waves, ContainmentProgress progress)
    {
        var scheduler = new WaveScheduler(context, waves, progress, prepared.Engine.MaxParallelWaves, parent: null);
        await scheduler.RunAsync(allPlanned: async () =>
        {
            var planned = progress.Publish(request.Mode == ContainmentMode.Plan ? ContainmentPhase.Planned : ContainmentPhase.Containing);
            await ReportToIncidentAsync(context, request, IncidentPhase.Plan, planned);
        });
    }

    /// <summary>
    /// Last of all, once every entry (completion, the last incident comment's outcome) is written: the chain's anchor
    /// for the output. A read that keeps failing leaves it out rather than fail a containment that is done.
    /// </summary>
    private async Task<ChainAnchor?> ReadJournalAnchorAsync(TaskOrchestrationContext context, string incidentId)
    {
        try
        {
            return await context.ReadJournalAnchorAsync(incidentId, _retry);
        }
        catch (TaskFailedException)
        {
            return null;
        }
    }

    /// <summary>One comment per phase on the Sentinel incident that started the containment; a comment that cannot be written never stops it.</summary>
    private async Task ReportToIncidentAsync(TaskOrchestrationContext context, ContainmentRequest request, IncidentPhase phase, ContainmentReport report)
    {
        if (request.Triage?.Source.SentinelIncidentArmId is not { } armId)
        {
            return;
        }

        try
        {
            await context.ReportToIncidentAsync(new IncidentReportInput(request.IncidentId, IncidentComments.For(context.InstanceId, armId, phase, report)), _retry);
        }
        catch (TaskFailedException)
        {
            // Journaled by the activity's last attempt when it could; the containment matters more than the comment.
        }
    }

    private static JournalEntry CompletionEntry(TaskOrchestrationContext context, ContainmentRequest request, string actor, ContainmentReport report)
    {
        var counts = report.Steps
            .GroupBy(s => s.Apply is { } apply ? $"apply:{ContainmentActivities.Kebab(apply)}" : $"plan:{ContainmentActivities.Kebab(s.Plan ?? PlanStatus.Failed)}")
            .OrderBy(g => g.Key)
            .Select(g => $"{g.Key} {g.Count()}");
        var revoked = report.Steps.Any(s => s.Action == ActionId.Parse("1.b") && s.Apply is ApplyOutcome.Applied);
        var detail = $"{report.Steps.Count} steps: {string.Join(", ", counts)}."
            + (revoked ? $" {Cases.CompromisedAccount.RevokeSessions.TokenLifetimeCaveat}" : string.Empty);
        return new JournalEntry($"{context.InstanceId}/99/completed", context.UtcNow(), request.IncidentId, actor,
            JournalEvents.Completed, "incident " + request.IncidentId, request.Mode == ContainmentMode.Plan ? "planned" : "completed", detail);
    }
}
