using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// The I/O of a containment, one method per activity (the classes in <c>Activities/</c> are the Durable Task
/// wrappers). Each journals what it did under an id fixed by the containment and step, so the engine's retry never
/// writes a line twice.
/// </summary>
public sealed partial class ContainmentActivities(
    ActionRegistry actions,
    TargetResolver targets,
    IJournal journal,
    IApprovalNotifier notifier,
    IOptions<ContainmentPolicy> policy,
    IOptions<ContainmentEngineOptions> engine,
    TimeProvider time,
    ILogger<ContainmentActivities> logger,
    Intake.Reporting.IIncidentReporter incidents)
{
    private string Actor => policy.Value.ActorName;

    public async Task<PreparedContainment> PrepareAsync(PrepareInput input, CancellationToken cancellationToken)
    {
        var request = input.Request;
        var openedAt = (await journal.ReadAsync(request.IncidentId, cancellationToken))
            .Where(e => e.Action == JournalEvents.Started)
            .Select(e => (DateTimeOffset?)e.At)
            .FirstOrDefault() ?? input.StartedAt;
        // Intake's triage (why these cases, which entities were set aside) is the containment's first entry.
        if (request.Triage is { } triage)
        {
            await journal.AppendAsync(Intake.TriageJournal.Entry(input.InstanceId, request, triage, input.StartedAt), cancellationToken);
        }

        await journal.AppendAsync(
            new JournalEntry(
                EntryId(input.InstanceId, 0, "started"),
                input.StartedAt,
                request.IncidentId,
                request.RequestedBy,
                JournalEvents.Started,
                Describe(request.Targets),
                request.Mode == Requests.ContainmentMode.Plan ? "plan-requested" : "containment-requested",
                $"Cases {string.Join(", ", request.Cases.Select(c => (int)c))}. Reason: {request.Reason}")
            {
                Data = JsonSerializer.SerializeToElement(request, JournalJson.Options),
            },
            cancellationToken);

        var (scope, unresolved) = await targets.ResolveAsync(request, openedAt, cancellationToken);
        for (var i = 0; i < unresolved.Count; i++)
        {
            await journal.AppendAsync(
                new JournalEntry(EntryId(input.InstanceId, 0, $"unresolved-{i}"), time.GetUtcNow(), request.IncidentId, Actor,
                    JournalEvents.TargetUnresolved, unresolved[i].Value, "ignored", unresolved[i].Reason),
                cancellationToken);
        }

        return new PreparedContainment(scope, unresolved, StepSequence.For(input.InstanceId, request.Cases, scope), ApprovalRules.From(policy.Value, request.Severity), Actor)
        {
            Severity = request.Severity,
            Engine = engine.Value,
        };
    }

    public async Task<ActionPlan> PlanStepAsync(StepContext step, CancellationToken cancellationToken)
    {
        var plan = await GraphCallAsync(
            () => actions.Get(step.Action).PlanAsync(step, cancellationToken),
            error => Plans.Failed(step, error, $"Planning failed: {error.Message}"));

        await journal.AppendAsync(
            new JournalEntry(EntryId(step, "plan"), time.GetUtcNow(), step.Scope.IncidentId, Actor, step.Action.Value, step.Target.ToString(),
                $"plan:{Kebab(plan.Status)}", DescribePlan(plan))
            {
                Data = JsonSerializer.SerializeToElement(new { plan.Evidence, plan.Changes, plan.Warnings, plan.Before, plan.Error }, JournalJson.Options),
            },
            cancellationToken);
        return plan;
    }

    public async Task<bool> RequestApprovalAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        await journal.AppendAsync(
            new JournalEntry($"{request.InstanceId}/{request.StepIndex:00}/approval-requested", time.GetUtcNow(), request.IncidentId, Actor,
                JournalEvents.ApprovalRequested, request.Target.ToString(), "pending",
                $"{request.Action} awaits a decision until {request.Deadline:u} (request {request.RequestId}): {request.Summary}")
            {
                // What the approver sees is kept here, not in the orchestration's status: the approval page and
                // GET /api/containments/{id} read pending decisions from the main courante.
                Data = JsonSerializer.SerializeToElement(request, JournalJson.Options),
            },
            cancellationToken);
        await notifier.NotifyAsync(request, cancellationToken);
        return true;
    }

    public async Task<ApplyResult> ApplyStepAsync(StepWork work, CancellationToken cancellationToken)
    {
        var (step, plan) = work;
        var result = await GraphCallAsync(
            () => actions.Get(step.Action).ApplyAsync(step, plan, cancellationToken),
            error => new ApplyResult(step.Action, step.Target, ApplyOutcome.Failed, $"Apply failed: {error.Message}", [], []) { Error = error });

        LogApplied(step.Action.Value, step.Index, result.Outcome);
        await journal.AppendAsync(
            new JournalEntry(EntryId(step, "apply"), time.GetUtcNow(), step.Scope.IncidentId, Actor, step.Action.Value, step.Target.ToString(),
                $"apply:{Kebab(result.Outcome)}", DescribeApply(result))
            {
                Data = JsonSerializer.SerializeToElement(new { result.Before, result.After, result.Changes, result.Warnings, result.Error }, JournalJson.Options),
            },
            cancellationToken);
        await notifier.NotifyFollowUpAsync(
            new ApprovalFollowUp(FollowUpKind.Applied, step.InstanceId, step.Scope.IncidentId, step.Index, step.Action.Value, step.Target.ToString(),
                $"apply:{Kebab(result.Outcome)}", Actor, time.GetUtcNow(), DescribeApply(result), ApprovalRequest.IdFor(step.Index, step.Action)),
            cancellationToken);
        return result;
    }

    public async Task<VerifyResult> VerifyStepAsync(StepWork work, CancellationToken cancellationToken)
    {
        var (step, plan) = work;
        var result = await GraphCallAsync(
            () => actions.Get(step.Action).VerifyAsync(step, plan, cancellationToken),
            error => new VerifyResult(step.Action, step.Target, VerifyOutcome.Failed, $"Verification failed: {error.Message}"));

        await journal.AppendAsync(
            new JournalEntry(EntryId(step, "verify"), time.GetUtcNow(), step.Scope.IncidentId, Actor, step.Action.Value, step.Target.ToString(),
                $"verify:{Kebab(result.Outcome)}", result.Detail),
            cancellationToken);
        return result;
    }

    public async Task<bool> RecordAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        await journal.AppendAsync(entry, cancellationToken);
        if (ApprovalFollowUps.FromDecisionEntry(entry) is { } followUp)
        {
            await notifier.NotifyFollowUpAsync(followUp, cancellationToken);
        }

        return true;
    }

    /// <summary>Writes one phase's comment on the incident that started the containment, and journals whether it could.</summary>
    public async Task<bool> ReportToIncidentAsync(Intake.Reporting.IncidentReportInput input, CancellationToken cancellationToken)
    {
        var comment = input.Comment;
        var result = await incidents.PostAsync(comment, cancellationToken);
        await journal.AppendAsync(
            new JournalEntry($"{InstanceIds.ForIncident(input.IncidentId)}/98/incident-comment-{Kebab(comment.Phase)}", time.GetUtcNow(), input.IncidentId, Actor,
                "incident.comment", comment.IncidentArmId, Kebab(result.Outcome), result.Detail),
            cancellationToken);
        return result.Outcome == Intake.Reporting.IncidentCommentOutcome.Posted;
    }

    /// <summary>
    /// A Graph failure becomes the step's own failed result, so the containment goes on with the other steps; throttling
    /// and server errors that outlived the SDK's retries are thrown as transient instead, for the host to retry the step.
    /// </summary>
    private static async Task<T> GraphCallAsync<T>(Func<Task<T>> call, Func<ErrorInfo, T> failed)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (GraphErrors.Classify(ex) is { } error)
        {
            return GraphErrors.IsTransient(error) ? throw new TransientFailureException(error, ex) : failed(error);
        }
    }

    internal static string EntryId(StepContext step, string phase) => EntryId(step.InstanceId, step.Index, phase);

    internal static string EntryId(string instanceId, int stepIndex, string phase) => $"{instanceId}/{stepIndex:00}/{phase}";

    private static string Describe(Requests.ContainmentTargets targets) =>
        string.Join("; ", new (string Kind, IReadOnlyList<string> Values)[]
            {
                ("users", targets.Users), ("applications", targets.Applications), ("mailboxes", targets.Mailboxes), ("resources", targets.Resources),
                ("ips", targets.Ips), ("countries", targets.Countries), ("domains", targets.Domains),
            }
            .Where(t => t.Values.Count > 0)
            .Select(t => $"{t.Kind}: {string.Join(", ", t.Values)}"));

    private static string DescribePlan(ActionPlan plan) =>
        plan.Changes.Count == 0
            ? plan.Summary
            : $"{plan.Summary} Changes: {string.Join("; ", plan.Changes.Select(c => c.Description))}";

    private static string DescribeApply(ApplyResult result) =>
        result.Warnings.Count == 0 ? result.Summary : $"{result.Summary} Warnings: {string.Join(" ", result.Warnings)}";

    internal static string Kebab<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Action} (step {Step}): {Outcome}")]
    private partial void LogApplied(string action, int step, ApplyOutcome outcome);
}
