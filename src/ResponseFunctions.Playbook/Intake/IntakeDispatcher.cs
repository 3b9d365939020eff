using System.Text.Json;
using Microsoft.Extensions.Logging;
using ResponseFunctions.Playbook.Intake.Triage;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Intake;

/// <summary>
/// Starts the containment a triage calls for, once per incident. A later delivery of the same incident (an update,
/// a retry) is journaled as a duplicate; when it names targets the first containment does not cover, a follow-up
/// containment is started for those new targets only (planned, gated and journaled like any other), linked to the
/// first both ways in the journal. Its id derives from the incident and the new targets, so redelivering the same
/// update starts it once. New targets no case can take (e.g. an IP alone) are journaled for a person, never dropped.
/// </summary>
public sealed partial class IntakeDispatcher(IJournal journal, TimeProvider time, ILogger<IntakeDispatcher> logger, Microsoft.Extensions.Options.IOptions<Policy.ContainmentPolicy>? policy = null)
{
    public async Task<IntakeOutcome> DispatchAsync(
        TriageResult triage, string incidentId, string requestedBy, string deliveryId, IContainmentStarter starter, CancellationToken cancellationToken)
    {
        var instanceId = InstanceIds.ForIncident(incidentId);
        if (IntakeRequests.From(triage, incidentId, requestedBy) is not { } request)
        {
            return new IntakeOutcome(IntakeStatus.NothingToContain, incidentId, null, triage, []);
        }

        var limits = policy?.Value.IntakeLimits ?? new Policy.IntakeLimits();
        switch (limits.Judge(request.Targets))
        {
            case Policy.IntakeVolume.Refused:
                await journal.AppendAsync(
                    new JournalEntry($"{instanceId}/intake/too-many-{IntakeIds.ShortHash(deliveryId)}", time.GetUtcNow(), incidentId, requestedBy, TriageJournal.Refused,
                        TriageJournal.Describe(triage.Source), "refused-too-many-targets",
                        $"Not started: a list names more than {limits.MaxTargetsPerList} targets (mass-compromise path: {(limits.MassCompromiseMaxTargetsPerList > 0 ? $"up to {limits.MassCompromiseMaxTargetsPerList}" : "off")}). A person must scope the containment."),
                    cancellationToken);
                return new IntakeOutcome(IntakeStatus.Refused, incidentId, null, triage, []);
            case Policy.IntakeVolume.MassCompromise:
                request = request with { MassCompromise = true };
                break;
        }

        if (!await starter.ExistsAsync(instanceId, cancellationToken))
        {
            await starter.StartAsync(instanceId, request, cancellationToken);
            LogStarted(instanceId, string.Join(",", request.Cases.Select(c => (int)c)));
            return new IntakeOutcome(IntakeStatus.Started, incidentId, instanceId, triage, []);
        }

        var covered = await CoveredTargetsAsync(incidentId, cancellationToken);
        var newTargets = Flatten(request.Targets).Where(t => covered is null || !covered.Contains(t)).ToList();
        var followUp = covered is not null && newTargets.Count > 0
            ? await StartFollowUpAsync(request, incidentId, instanceId, covered, requestedBy, starter, cancellationToken)
            : null;
        await journal.AppendAsync(
            new JournalEntry(
                $"{instanceId}/intake/duplicate-{IntakeIds.ShortHash(deliveryId)}", time.GetUtcNow(), incidentId, requestedBy, TriageJournal.Duplicate,
                TriageJournal.Describe(triage.Source), newTargets.Count > 0 ? "new-targets" : "no-new-target",
                (covered is null ? "The running containment's triage is not journaled yet; every target is listed. " : string.Empty)
                + (newTargets.Count == 0 ? $"Already contained by {instanceId}; no new target."
                    : followUp is { InstanceId: { } followUpId }
                        ? $"Already contained by {instanceId}; this delivery names new targets ({string.Join(", ", newTargets)}): follow-up containment {followUpId} takes {string.Join(", ", followUp.Taken)}."
                          + (followUp.Left.Count > 0 ? $" Not covered by any case, contain by hand or with POST /api/containments: {string.Join(", ", followUp.Left)}." : string.Empty)
                        : $"Already contained by {instanceId}; this delivery names targets it does not cover, not acted on: {string.Join(", ", newTargets)}. Contain them by hand or with POST /api/containments."))
            {
                Data = JsonSerializer.SerializeToElement(new { deliveryId, newTargets, followUp = followUp?.InstanceId, triage }, JournalJson.Options),
            },
            cancellationToken);
        LogDuplicate(instanceId, newTargets.Count);
        return new IntakeOutcome(IntakeStatus.Duplicate, incidentId, instanceId, triage, newTargets) { FollowUpInstanceId = followUp?.InstanceId };
    }

    /// <summary>
    /// The follow-up for the new targets only, with the cases that can take them. Kept to this method (and the
    /// starter's usual start) so the orchestration itself is unchanged.
    /// </summary>
    private async Task<FollowUp> StartFollowUpAsync(
        ContainmentRequest request, string incidentId, string firstInstanceId, HashSet<string> covered, string requestedBy, IContainmentStarter starter, CancellationToken cancellationToken)
    {
        var t = request.Targets;
        bool New(string kind, string value) => !covered.Contains($"{kind} {value}");
        var targets = new ContainmentTargets([.. t.Users.Where(u => New("user", u))], [.. t.Ips.Where(i => New("ip", i))], [.. t.Countries.Where(c => New("country", c))])
        {
            Applications = [.. t.Applications.Where(a => New("application", a))],
            Mailboxes = [.. t.Mailboxes.Where(m => New("mailbox", m))],
            Resources = [.. t.Resources.Where(r => New("resource", r))],
            Domains = [.. t.Domains.Where(d => New("domain", d))],
        };
        var cases = request.Cases.Where(c => ContainmentRequestParser.MissingTargets([c], targets).Count == 0).ToList();
        var newOnes = Flatten(targets).ToList();
        if (cases.Count == 0)
        {
            return new FollowUp(null, [], newOnes);
        }

        var followUpIncident = IntakeIds.ForFollowUp(incidentId, newOnes);
        var followUpInstance = InstanceIds.ForIncident(followUpIncident);
        var followUpRequest = request with
        {
            IncidentId = followUpIncident,
            Cases = cases,
            Targets = targets,
            Reason = Truncate($"Follow-up of {firstInstanceId} (incident {incidentId}) for targets its update added: {string.Join(", ", newOnes)}. {request.Reason}"),
            Triage = request.Triage is { } triage ? triage with { Cases = cases, Targets = targets } : null,
        };
        if (!await starter.ExistsAsync(followUpInstance, cancellationToken))
        {
            await journal.AppendAsync(
                new JournalEntry($"{followUpInstance}/intake/follow-up-of", time.GetUtcNow(), followUpIncident, requestedBy, TriageJournal.FollowUpOf,
                    firstInstanceId, "linked", $"Follow-up of {firstInstanceId} (incident {incidentId}): contains only the targets the update added ({string.Join(", ", newOnes)})."),
                cancellationToken);
            await journal.AppendAsync(
                new JournalEntry($"{firstInstanceId}/intake/follow-up-{IntakeIds.ShortHash(followUpInstance)}", time.GetUtcNow(), incidentId, requestedBy, TriageJournal.FollowUpStarted,
                    followUpInstance, "started", $"An update named new targets; follow-up containment {followUpInstance} (incident {followUpIncident}) contains them: {string.Join(", ", newOnes)}."),
                cancellationToken);
            await starter.StartAsync(followUpInstance, followUpRequest, cancellationToken);
            LogStarted(followUpInstance, string.Join(",", cases.Select(c => (int)c)));
        }

        var taken = newOnes.Where(n => TakenBy(n[..n.IndexOf(' ')], cases)).ToList();
        return new FollowUp(followUpInstance, taken, [.. newOnes.Except(taken)]);
    }

    /// <summary>Which cases act on a kind of target: users (1, 5), IPs and countries (1.e), applications (2), resources (3), domains (4), mailboxes (5).</summary>
    private static bool TakenBy(string kind, IReadOnlyList<Catalog.CaseId> cases) => kind switch
    {
        "user" => cases.Contains(Catalog.CaseId.CompromisedAccount) || cases.Contains(Catalog.CaseId.MailDataLeak),
        "ip" or "country" => cases.Contains(Catalog.CaseId.CompromisedAccount),
        "application" => cases.Contains(Catalog.CaseId.CompromisedAppIdentity),
        "resource" => cases.Contains(Catalog.CaseId.CompromisedAzureResource),
        "domain" => cases.Contains(Catalog.CaseId.SpamRelay),
        "mailbox" => cases.Contains(Catalog.CaseId.MailDataLeak),
        _ => false,
    };

    private static string Truncate(string reason) => reason.Length <= 1000 ? reason : reason[..997] + "...";

    private sealed record FollowUp(string? InstanceId, IReadOnlyList<string> Taken, IReadOnlyList<string> Left);

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
            .Concat(targets.Mailboxes.Select(m => $"mailbox {m}"))
            .Concat(targets.Countries.Select(c => $"country {c}"))
            .Concat(targets.Domains.Select(d => $"domain {d}"));

    [LoggerMessage(Level = LogLevel.Information, Message = "Intake started containment {InstanceId} (cases {Cases})")]
    private partial void LogStarted(string instanceId, string cases);

    [LoggerMessage(Level = LogLevel.Information, Message = "Intake: {InstanceId} already exists; duplicate journaled ({NewTargets} new targets)")]
    private partial void LogDuplicate(string instanceId, int newTargets);
}

public enum IntakeStatus
{
    NothingToContain,

    /// <summary>More targets than <see cref="Policy.IntakeLimits"/> allows: journaled, nothing started.</summary>
    Refused,
    Started,
    Duplicate,
}

/// <summary>What intake did with one delivery.</summary>
public sealed record IntakeOutcome(IntakeStatus Status, string IncidentId, string? InstanceId, TriageResult Triage, IReadOnlyList<string> NewTargets)
{
    /// <summary>The follow-up containment started for the new targets of an update, if any.</summary>
    public string? FollowUpInstanceId { get; init; }
}
