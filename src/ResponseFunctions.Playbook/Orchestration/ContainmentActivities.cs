using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.Playbook.Telemetry;

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
    Intake.Reporting.IIncidentReporter incidents,
    Approval.Teams.ITargetRoles roles,
    AzureResources.SecurityAlerts alerts,
    ITenantGuardLedger guardLedger,
    GlobalAdministratorList administrators,
    IncidentScopes scopes)
{
    /// <summary>Changes that can reduce the trusted Global Administrators (reset, disable, wipe methods, remove roles): one at a time across the tenant when their target is one.</summary>
    private static readonly HashSet<string> GlobalAdministratorChanges = ["1.a", "1.c", "1.d", "1.f"];

    private const int MaxCachedRoles = 20_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<string>> _roles = new(StringComparer.OrdinalIgnoreCase);

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
        if (request.Mode == Requests.ContainmentMode.Contain)
        {
            // Named by an open containment: no other containment may count these users as trusted administrators.
            foreach (var user in scope.Users)
            {
                await guardLedger.MarkUntrustedAsync(user.Id, $"named by incident {request.IncidentId}", input.StartedAt, cancellationToken);
            }
        }

        for (var i = 0; i < unresolved.Count; i++)
        {
            await journal.AppendAsync(
                new JournalEntry(EntryId(input.InstanceId, 0, $"unresolved-{i}"), time.GetUtcNow(), request.IncidentId, Actor,
                    JournalEvents.TargetUnresolved, unresolved[i].Value, "ignored", unresolved[i].Reason),
                cancellationToken);
        }

        // The scope is journaled once, here; steps travel without it and each activity attaches it (IncidentScopes).
        scopes.Remember(input.InstanceId, scope);
        await journal.AppendAsync(
            new JournalEntry(IncidentScopes.EntryId(input.InstanceId), time.GetUtcNow(), request.IncidentId, Actor, JournalEvents.Prepared,
                $"incident {request.IncidentId}", "prepared",
                $"{scope.Users.Count} user(s), {scope.Applications.Count} application(s), {scope.Mailboxes.Count} mailbox(es), {scope.Resources.Count} resource(s) resolved; {unresolved.Count} set aside.")
            {
                Data = JsonSerializer.SerializeToElement(scope, JournalJson.Options),
            },
            cancellationToken);

        // A mass compromise always needs a person: nothing pre-approved, nothing applied on timeout.
        var rules = ApprovalRules.From(policy.Value, request.Severity);
        if (request.MassCompromise)
        {
            rules = rules with { PreApproved = [], ApplyOnTimeout = [] };
        }

        var steps = StepSequence.For(input.InstanceId, request.Cases, scope);
        return new PreparedContainment(scope, unresolved, steps, rules, Actor)
        {
            Severity = request.Severity,
            Engine = engine.Value,
            // Roles are read when a person is asked (RequestApprovalAsync), for that request's targets only: a
            // pre-approved containment of thousands of accounts does not read them, and Prepare's output stays small.
            Briefing = IncidentBriefing.From(request, new Dictionary<string, IReadOnlyList<string>>()),
            AlertRecheckDelay = policy.Value.Resources.AlertRecheckDelay,
        };
    }

    /// <summary>The target's directory roles, read once per containment and target, so the approver sees what is at stake.</summary>
    private async Task<IReadOnlyList<string>> RolesOfAsync(string instanceId, ActionTarget target, CancellationToken cancellationToken)
    {
        if (target.Kind is not (Catalog.TargetKind.User or Catalog.TargetKind.Application))
        {
            return [];
        }

        var key = $"{instanceId}|{target.Id}";
        if (_roles.TryGetValue(key, out var known))
        {
            return known;
        }

        IReadOnlyList<string> found;
        try
        {
            found = await roles.RolesOfAsync(target, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Roles inform the approver; they never block a containment.
            return ["(roles could not be read)"];
        }

        // A cache for this process's containments, not a store: emptied rather than let grow without end.
        if (_roles.Count > MaxCachedRoles)
        {
            _roles.Clear();
        }

        return _roles[key] = found;
    }

    public async Task<ActionPlan> PlanStepAsync(StepContext step, CancellationToken cancellationToken)
    {
        step = await scopes.AttachAsync(step, cancellationToken);
        using var span = StepSpan("plan", step);
        var plan = await GraphCallAsync(
            () => actions.Get(step.Action).PlanAsync(step, cancellationToken),
            error => Plans.Failed(step, error, $"Planning failed: {error.Message}"));
        await JournalPlanAsync(step, plan, span, cancellationToken);
        return plan;
    }

    private async Task JournalPlanAsync(StepContext step, ActionPlan plan, System.Diagnostics.Activity? span, CancellationToken cancellationToken)
    {
        await journal.AppendAsync(
            new JournalEntry(EntryId(step, "plan"), time.GetUtcNow(), step.IncidentId, Actor, step.Action.Value, step.Target.ToString(),
                $"plan:{Kebab(plan.Status)}", DescribePlan(plan))
            {
                Data = JsonSerializer.SerializeToElement(new { plan.Evidence, plan.Changes, plan.Warnings, plan.Before, plan.Error }, JournalJson.Options),
            },
            cancellationToken);
        ContainmentTelemetry.Outcome(span, $"plan:{Kebab(plan.Status)}", plan.Status == PlanStatus.Failed);
    }

    /// <summary>
    /// Plans a batch of steps, a bounded number at once, each journaled as <see cref="PlanStepAsync"/> does. A step that
    /// throws (a transient Graph error, or anything unexpected) comes back null: the orchestrator plans it alone, with the
    /// engine's retry, so one step's trouble neither fails nor repeats the others.
    /// </summary>
    public async Task<IReadOnlyList<ActionPlan?>> PlanStepsAsync(StepBatch batch, CancellationToken cancellationToken)
    {
        var plans = new ActionPlan?[batch.Steps.Count];
        var alone = await PlanWaveActionsAsync(batch, plans, cancellationToken);
        await Parallel.ForEachAsync(alone, Batched(batch.Parallel, cancellationToken), async (i, ct) =>
        {
            try
            {
                plans[i] = await PlanStepAsync(batch.Steps[i], ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                LogBatchStepDeferred("plan", batch.Steps[i].Index, ex.GetType().Name);
            }
        });
        return plans;
    }

    /// <summary>
    /// Journals the batch's decisions, then applies and verifies its approved steps, a bounded number at once, each exactly as <see cref="ApplyStepAsync"/>
    /// and <see cref="VerifyStepAsync"/> do (intent journaled before the change, the tenant-wide lock for Global
    /// Administrator changes). A step whose apply throws is marked for the orchestrator to apply alone, with the engine's
    /// retry; one whose verify throws, to verify alone.
    /// </summary>
    public async Task<IReadOnlyList<StepOutcome>> ApplyAndVerifyStepsAsync(WorkBatch batch, CancellationToken cancellationToken)
    {
        await RecordManyAsync(batch.Decisions, cancellationToken);
        if (WaveActionOf(batch.Work) is { } wave)
        {
            return await ApplyAndVerifyWaveAsync(wave, batch, cancellationToken);
        }

        var outcomes = new StepOutcome[batch.Work.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, outcomes.Length), Batched(batch.Parallel, cancellationToken), async (i, ct) =>
        {
            var work = batch.Work[i];
            ApplyResult applied;
            try
            {
                applied = await ApplyStepAsync(work, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                LogBatchStepDeferred("apply", work.Step.Index, ex.GetType().Name);
                outcomes[i] = new StepOutcome(work.Step.Index, null, null, Retry: true);
                return;
            }

            VerifyResult? verified = null;
            if (applied.Outcome is ApplyOutcome.Applied or ApplyOutcome.AlreadyInPlace or ApplyOutcome.PartiallyApplied)
            {
                try
                {
                    verified = await VerifyStepAsync(work, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    LogBatchStepDeferred("verify", work.Step.Index, ex.GetType().Name);
                }
            }

            outcomes[i] = new StepOutcome(work.Step.Index, applied, verified, Retry: false);
        });
        return outcomes;
    }

    /// <summary>
    /// Applies several actions' batches one after the other (<see cref="ApplyAndVerifyStepsAsync"/> each), stopping after
    /// a batch with a step to be applied again alone: the orchestrator does that before any later action.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<StepOutcome>>> ApplyInOrderAsync(WorkInOrder work, CancellationToken cancellationToken)
    {
        var done = new List<IReadOnlyList<StepOutcome>>();
        foreach (var batch in work.Batches)
        {
            var outcomes = await ApplyAndVerifyStepsAsync(batch, cancellationToken);
            done.Add(outcomes);
            if (outcomes.Any(o => o.Retry))
            {
                break;
            }
        }

        return done;
    }

    /// <summary>Appends entries in their order, written together, then tells of each as <see cref="RecordAsync"/> does (follow-up card, telemetry).</summary>
    public async Task<bool> RecordManyAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        await journal.AppendManyAsync(entries, cancellationToken);
        foreach (var entry in entries)
        {
            await TellAsync(entry, cancellationToken);
        }

        return true;
    }

    private static ParallelOptions Batched(int parallel, CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Math.Max(1, parallel), CancellationToken = cancellationToken };

    public async Task<bool> RequestApprovalAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        if (request.Context is { } context)
        {
            request = request with { Context = context with { TargetRoles = await RolesOfAsync(request.InstanceId, request.Target, cancellationToken) } };
        }

        if (request.IsGrouped)
        {
            var withRoles = new ApprovalTarget[request.Targets.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, withRoles.Length), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                async (i, ct) => withRoles[i] = request.Targets[i] with { Roles = await RolesOfAsync(request.InstanceId, request.Targets[i].Target, ct) });
            request = request with { Targets = withRoles };
        }

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
        var delivery = await notifier.NotifyAsync(request, cancellationToken);
        ContainmentTelemetry.PendingApprovals.Add(1, new KeyValuePair<string, object?>(ContainmentTelemetry.ActionIdTag, request.Action.Value));
        await journal.AppendAsync(
            new JournalEntry($"{request.InstanceId}/{request.StepIndex:00}/approval-card", time.GetUtcNow(), request.IncidentId, Actor,
                request.Action.Value, request.Target.ToString(), delivery.Outcome,
                $"{delivery.Detail} Approvers can always decide from the approval page or GET /api/containments/{request.InstanceId} (pending approvals, with their links)."),
            cancellationToken);
        return true;
    }

    public async Task<ApplyResult> ApplyStepAsync(StepWork work, CancellationToken cancellationToken)
    {
        var (step, plan) = work with { Step = await scopes.AttachAsync(work.Step, cancellationToken) };
        using var span = StepSpan("apply", step);
        var earlierIntent = await JournalIntentAsync(step, plan, cancellationToken);
        ApplyResult result;

        // The action re-checks the Global Administrator guard inside, so check and change happen under one tenant-wide lock.
        await using (await GuardLockAsync(step, cancellationToken))
        {
            result = await GraphCallAsync(
                () => actions.Get(step.Action).ApplyAsync(step, plan, cancellationToken),
                error => new ApplyResult(step.Action, step.Target, ApplyOutcome.Failed, $"Apply failed: {error.Message}", [], []) { Error = error });
            if (GlobalAdministratorChanges.Contains(step.Action.Value) && step.Target.Kind == Catalog.TargetKind.User && result.Outcome is ApplyOutcome.Applied or ApplyOutcome.PartiallyApplied)
            {
                await guardLedger.MarkUntrustedAsync(step.Target.Id, $"{step.Action} applied by incident {step.IncidentId}", time.GetUtcNow(), cancellationToken);
            }
        }

        result = RecogniseEarlierAttempt(result, earlierIntent);
        await JournalApplyAsync(step, result, span, cancellationToken);
        return result;
    }

    /// <summary>
    /// The tenant-wide guard lock, for a change that can reduce the trusted Global Administrators and whose target the
    /// guard may count: a user on the recent list of Global Administrators (the same list the guard asks first, so the
    /// lock is held exactly when the guard goes on to count them on a fresh read), or any target that is not a user.
    /// Locking every reset and disable made a 1,000-account containment one change at a time: nearly all its wall time.
    /// </summary>
    private async Task<IAsyncDisposable?> GuardLockAsync(StepContext step, CancellationToken cancellationToken)
    {
        if (!GlobalAdministratorChanges.Contains(step.Action.Value))
        {
            return null;
        }

        if (step.Target.Kind == Catalog.TargetKind.User && await IsNotGlobalAdministratorAsync(step.Target, cancellationToken))
        {
            return null;
        }

        return await guardLedger.LockAsync(cancellationToken);
    }

    /// <summary>
    /// True only when the recent list says so. A list that cannot be read takes the lock rather than fail the step here:
    /// the action's own guard reads it again, inside the Graph error handling that makes a failure transient or kept.
    /// </summary>
    private async Task<bool> IsNotGlobalAdministratorAsync(ActionTarget target, CancellationToken cancellationToken)
    {
        try
        {
            return !(await administrators.RecentAsync(cancellationToken)).Any(a => string.Equals(a.Id, target.Id, StringComparison.OrdinalIgnoreCase));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Journals what apply did (and tells the approvers), once the change is made or failed.</summary>
    private async Task JournalApplyAsync(StepContext step, ApplyResult result, System.Diagnostics.Activity? span, CancellationToken cancellationToken)
    {
        LogApplied(step.Action.Value, step.Index, result.Outcome);
        ContainmentTelemetry.Outcome(span, $"apply:{Kebab(result.Outcome)}", result.Outcome == ApplyOutcome.Failed);
        ContainmentTelemetry.StepsApplied.Add(1,
            new KeyValuePair<string, object?>(ContainmentTelemetry.ActionIdTag, step.Action.Value),
            new KeyValuePair<string, object?>(ContainmentTelemetry.OutcomeTag, Kebab(result.Outcome)));
        await journal.AppendAsync(
            new JournalEntry(EntryId(step, "apply"), time.GetUtcNow(), step.IncidentId, Actor, step.Action.Value, step.Target.ToString(),
                $"apply:{Kebab(result.Outcome)}", DescribeApply(result))
            {
                Data = JsonSerializer.SerializeToElement(new { result.Before, result.After, result.Changes, result.Warnings, result.Error }, JournalJson.Options),
            },
            cancellationToken);
        await notifier.NotifyFollowUpAsync(
            new ApprovalFollowUp(FollowUpKind.Applied, step.InstanceId, step.IncidentId, step.Index, step.Action.Value, step.Target.ToString(),
                $"apply:{Kebab(result.Outcome)}", Actor, time.GetUtcNow(), DescribeApply(result), ApprovalRequest.IdFor(step.Index, step.Action)),
            cancellationToken);
    }

    /// <summary>
    /// Journals the intent (the planned changes and the before-state) before anything changes, so a change is never
    /// made without a record even when the outcome cannot be written afterwards or the host crashes in between.
    /// Returns the intent an earlier attempt of this same step already journaled, if any: the entry id is fixed per
    /// step, so a retry keeps the original intent and its before-state.
    /// </summary>
    private async Task<JournalEntry?> JournalIntentAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var id = EntryId(step, "intent");
        var earlier = await journal.FindAsync(step.IncidentId, id, cancellationToken);
        await journal.AppendAsync(
            new JournalEntry(id, time.GetUtcNow(), step.IncidentId, Actor, step.Action.Value, step.Target.ToString(), "intent:apply",
                $"About to apply: {DescribePlan(plan)}")
            {
                Data = JsonSerializer.SerializeToElement(new { plan.Before, plan.Changes }, JournalJson.Options),
            },
            cancellationToken);
        return earlier;
    }

    /// <summary>
    /// A retry after an attempt that changed the tenant but could not record the outcome finds the target already in
    /// the planned state: that change is this step's own, so it is reported as applied, with the original before-state.
    /// </summary>
    private static ApplyResult RecogniseEarlierAttempt(ApplyResult result, JournalEntry? earlierIntent)
    {
        if (earlierIntent is null || result.Outcome != ApplyOutcome.AlreadyInPlace)
        {
            return result;
        }

        var before = earlierIntent.Data is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty("before", out var b) ? b.Clone() : (JsonElement?)null;
        return result with
        {
            Outcome = ApplyOutcome.Applied,
            Summary = $"Applied by an earlier attempt of this step (intent journaled at {earlierIntent.At:u}); now verified in place. {result.Summary}",
            Before = before ?? result.Before,
        };
    }

    public async Task<VerifyResult> VerifyStepAsync(StepWork work, CancellationToken cancellationToken)
    {
        var (step, plan) = work with { Step = await scopes.AttachAsync(work.Step, cancellationToken) };
        using var span = StepSpan("verify", step);
        var result = await GraphCallAsync(
            () => actions.Get(step.Action).VerifyAsync(step, plan, cancellationToken),
            error => new VerifyResult(step.Action, step.Target, VerifyOutcome.Failed, $"Verification failed: {error.Message}"));
        await JournalVerifyAsync(step, result, span, cancellationToken);
        return result;
    }

    private async Task JournalVerifyAsync(StepContext step, VerifyResult result, System.Diagnostics.Activity? span, CancellationToken cancellationToken)
    {
        await journal.AppendAsync(
            new JournalEntry(EntryId(step, "verify"), time.GetUtcNow(), step.IncidentId, Actor, step.Action.Value, step.Target.ToString(),
                $"verify:{Kebab(result.Outcome)}", result.Detail),
            cancellationToken);
        ContainmentTelemetry.Outcome(span, $"verify:{Kebab(result.Outcome)}", result.Outcome != VerifyOutcome.Verified);
    }

    public async Task<bool> RecordAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        await journal.AppendAsync(entry, cancellationToken);
        await TellAsync(entry, cancellationToken);
        return true;
    }

    /// <summary>What follows a journaled entry: a decision's follow-up card, the telemetry.</summary>
    private async Task TellAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        if (ApprovalFollowUps.FromDecisionEntry(entry) is { } followUp)
        {
            await notifier.NotifyFollowUpAsync(followUp, cancellationToken);
        }

        await RecordTelemetryAsync(entry, cancellationToken);
    }

    /// <summary>
    /// A decision ends a pending approval (a second approver's wait starts another); a completion closes the
    /// containment's span, from its start entry to now, and records the time to contain.
    /// </summary>
    private async Task RecordTelemetryAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        // Pre-approved and ungated steps were never pending.
        if (entry.Id.EndsWith("/decision", StringComparison.Ordinal)
            && entry.Outcome is "approval:approved" or "approval:rejected" or "approval:timed-out" or "approval:timed-out-applied")
        {
            ContainmentTelemetry.PendingApprovals.Add(-1, new KeyValuePair<string, object?>(ContainmentTelemetry.ActionIdTag, entry.Action));
        }

        if (entry.Action != JournalEvents.Completed || entry.Outcome != "completed")
        {
            return;
        }

        var instanceId = entry.Id[..entry.Id.LastIndexOf("/99/", StringComparison.Ordinal)];
        var started = (await journal.ReadAsync(entry.IncidentId, cancellationToken))
            .Where(e => e.Action == JournalEvents.Started && e.Id.StartsWith(instanceId + "/", StringComparison.Ordinal))
            .Select(e => (DateTimeOffset?)e.At)
            .FirstOrDefault();
        if (started is not { } startedAt)
        {
            return;
        }

        using (var span = ContainmentTelemetry.StartSpan("containment", instanceId, entry.IncidentId, startTime: startedAt))
        {
            ContainmentTelemetry.Outcome(span, "completed");
            span?.SetEndTime(entry.At.UtcDateTime);
        }

        ContainmentTelemetry.TimeToContain.Record((entry.At - startedAt).TotalSeconds,
            new KeyValuePair<string, object?>(ContainmentTelemetry.IncidentIdTag, entry.IncidentId));
    }

    private static System.Diagnostics.Activity? StepSpan(string phase, StepContext step) =>
        ContainmentTelemetry.StartSpan($"{phase} {step.Action.Value}", step.InstanceId, step.IncidentId, step.Action.Value, step.Target.ToString());

    /// <summary>Writes one phase's comment on the incident that started the containment, and journals whether it could.</summary>
    public async Task<bool> ReportToIncidentAsync(Intake.Reporting.IncidentReportInput input, CancellationToken cancellationToken)
    {
        var comment = await WithChainHeadAsync(input, cancellationToken);
        var result = await incidents.PostAsync(comment, cancellationToken);
        await journal.AppendAsync(
            new JournalEntry($"{InstanceIds.ForIncident(input.IncidentId)}/98/incident-comment-{Kebab(comment.Phase)}", time.GetUtcNow(), input.IncidentId, Actor,
                "incident.comment", comment.IncidentArmId, Kebab(result.Outcome), result.Detail),
            cancellationToken);
        return result.Outcome == Intake.Reporting.IncidentCommentOutcome.Posted;
    }

    /// <summary>
    /// 3.a's proof, as the sheet asks: no new security alert for the resource since it was isolated. Journals
    /// "alerts:none-since-isolation" or "alerts:new-since-isolation" (isolation incomplete) with the alerts' names; true when none.
    /// </summary>
    public async Task<bool> CheckAlertsAfterIsolationAsync(AlertCheckInput input, CancellationToken cancellationToken)
    {
        var step = await scopes.AttachAsync(input.Step, cancellationToken);
        var workspace = policy.Value.Resources.AlertWorkspaceId;
        var (outcome, detail, none) = (string.IsNullOrWhiteSpace(workspace), string.Empty, false);
        if (outcome)
        {
            (detail, none) = ("No alert workspace configured (Resources.AlertWorkspaceId): confirm by hand that no new alert followed the isolation.", false);
        }

        var result = "alerts:not-checked";
        if (!outcome)
        {
            try
            {
                var found = await alerts.SinceAsync(workspace!, step.Target.Id, input.IsolatedAt, time.GetUtcNow(), cancellationToken);
                none = found.Count == 0;
                result = none ? "alerts:none-since-isolation" : "alerts:new-since-isolation";
                detail = none
                    ? $"No new SecurityAlert for the resource since the isolation at {input.IsolatedAt:u}."
                    : $"{found.Count} new alert(s) since the isolation at {input.IsolatedAt:u}: isolation is incomplete. "
                      + string.Join("; ", found.Select(a => $"{a.TimeGenerated:u} {a.AlertName} ({a.Severity}, {a.SystemAlertId})"));
            }
            catch (Azure.RequestFailedException error)
            {
                detail = $"The alert query failed ({error.Status} {error.ErrorCode}): confirm by hand that no new alert followed the isolation.";
            }
        }

        await journal.AppendAsync(
            new JournalEntry(EntryId(step, "alert-check"), time.GetUtcNow(), step.IncidentId, Actor, step.Action.Value, step.Target.ToString(), result, detail),
            cancellationToken);
        return none;
    }

    /// <summary>
    /// Every comment carries the main courante's chain head and entry count, so a copy of them lives in Sentinel,
    /// outside the storage account: a journal later cut short or rewritten no longer verifies against it.
    /// </summary>
    private async Task<Intake.Reporting.IncidentComment> WithChainHeadAsync(Intake.Reporting.IncidentReportInput input, CancellationToken cancellationToken) =>
        await ReadJournalAnchorAsync(input.IncidentId, cancellationToken) is { } head
            ? input.Comment with { Message = input.Comment.Message + $"<br>Main courante chain head (journal verify --anchor): {head}" }
            : input.Comment;

    /// <summary>
    /// The chain head and entry count of the incident's main courante as it stands now (whether or not it still
    /// verifies: the verify endpoint says that); null for a journal that is not chained or still empty.
    /// </summary>
    public async Task<ChainAnchor?> ReadJournalAnchorAsync(string incidentId, CancellationToken cancellationToken) =>
        journal is IVerifiableJournal chained && (await chained.VerifyAsync(incidentId, null, cancellationToken)).Head is { Entries: > 0 } head
            ? head
            : null;

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {Phase} of step {Step} deferred to a step of its own ({Error})")]
    private partial void LogBatchStepDeferred(string phase, int step, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Action} (step {Step}): {Outcome}")]
    private partial void LogApplied(string action, int step, ApplyOutcome outcome);
}
