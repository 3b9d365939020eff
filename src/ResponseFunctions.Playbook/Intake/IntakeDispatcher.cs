using System.Text.Json;
using Microsoft.Extensions.Logging;
using ResponseFunctions.Playbook.Intake.Triage;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Intake;

/// <summary>
/// Starts the containment a triage calls for, once per incident. A later delivery of the same incident (an update,
/// a retry) starts nothing: it is journaled as a duplicate, naming the targets the running containment does not
/// cover, for a person to decide.
/// </summary>
public sealed partial class IntakeDispatcher(IJournal journal, TimeProvider time, ILogger<IntakeDispatcher> logger)
{
    public async Task<IntakeOutcome> DispatchAsync(
        TriageResult triage, string incidentId, string requestedBy, string deliveryId, IContainmentStarter starter, CancellationToken cancellationToken)
    {
        var instanceId = InstanceIds.ForIncident(incidentId);
        if (IntakeRequests.From(triage, incidentId, requestedBy) is not { } request)
        {
            return new IntakeOutcome(IntakeStatus.NothingToContain, incidentId, null, triage, []);
        }

        if (!await starter.ExistsAsync(instanceId, cancellationToken))
        {
            await starter.StartAsync(instanceId, request, cancellationToken);
            LogStarted(instanceId, string.Join(",", request.Cases.Select(c => (int)c)));
            return new IntakeOutcome(IntakeStatus.Started, incidentId, instanceId, triage, []);
        }

        var covered = await CoveredTargetsAsync(incidentId, cancellationToken);
        var newTargets = Flatten(request.Targets).Where(t => covered is null || !covered.Contains(t)).ToList();
        await journal.AppendAsync(
            new JournalEntry(
                $"{instanceId}/intake/duplicate-{IntakeIds.ShortHash(deliveryId)}", time.GetUtcNow(), incidentId, requestedBy, TriageJournal.Duplicate,
                TriageJournal.Describe(triage.Source), newTargets.Count > 0 ? "new-targets" : "no-new-target",
                (covered is null ? "The running containment's triage is not journaled yet; every target is listed. " : string.Empty)
                + (newTargets.Count > 0
                    ? $"Already contained by {instanceId}; this delivery names targets it does not cover, not acted on: {string.Join(", ", newTargets)}. Contain them by hand or with POST /api/containments."
                    : $"Already contained by {instanceId}; no new target."))
            {
                Data = JsonSerializer.SerializeToElement(new { deliveryId, newTargets, triage }, JournalJson.Options),
            },
            cancellationToken);
        LogDuplicate(instanceId, newTargets.Count);
        return new IntakeOutcome(IntakeStatus.Duplicate, incidentId, instanceId, triage, newTargets);
    }

    private async Task<HashSet<string>?> CoveredTargetsAsync(string incidentId, CancellationToken cancellationToken)
    {
        var first = (await journal.ReadAsync(incidentId, cancellationToken)).FirstOrDefault(e => e.Action == TriageJournal.Triaged);
        if (first?.Data is not { } data || data.Deserialize<TriageResult>(JournalJson.Options) is not { } triage)
        {
            return null;
        }

        return new HashSet<string>(Flatten(triage.Targets), StringComparer.OrdinalIgnoreCase);
    }

    private static IEnumerable<string> Flatten(ContainmentTargets targets) =>
        targets.Users.Select(u => $"user {u}")
            .Concat(targets.Ips.Select(i => $"ip {i}"))
            .Concat(targets.Applications.Select(a => $"application {a}"))
            .Concat(targets.Resources.Select(r => $"resource {r}"))
            .Concat(targets.Mailboxes.Select(m => $"mailbox {m}"));

    [LoggerMessage(Level = LogLevel.Information, Message = "Intake started containment {InstanceId} (cases {Cases})")]
    private partial void LogStarted(string instanceId, string cases);

    [LoggerMessage(Level = LogLevel.Information, Message = "Intake: {InstanceId} already exists; duplicate journaled ({NewTargets} new targets)")]
    private partial void LogDuplicate(string instanceId, int newTargets);
}

public enum IntakeStatus
{
    NothingToContain,
    Started,
    Duplicate,
}

/// <summary>What intake did with one delivery.</summary>
public sealed record IntakeOutcome(IntakeStatus Status, string IncidentId, string? InstanceId, TriageResult Triage, IReadOnlyList<string> NewTargets);
