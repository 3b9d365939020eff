using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// One wave of a containment, as a sub-orchestration: plan its steps (read-only, several at once), ask for the
/// decisions, then action by action in the sheet's order: gate → apply → verify, across the wave's targets at once.
/// Its history holds its own steps only, so it stays the same size whatever the incident's size. Steps, journal
/// entries and approval requests name the containment (<see cref="ContainmentWave.ParentInstanceId"/>); decisions
/// are raised to this instance (<see cref="ApprovalRequest.WaitingInstanceId"/>).
/// </summary>
[DurableTask(Name)]
public sealed class ContainmentWaveOrchestrator : TaskOrchestrator<ContainmentWave, WaveReport>
{
    public const string Name = "ContainmentWaveOrchestrator";

    /// <summary>Upper bound on decisions read for one step, so decisions raised again and again (the same person twice) cannot loop forever.</summary>
    private const int MaxDecisionsPerStep = 20;

    private TaskOptions _retry = ContainmentTasks.Retried(new ContainmentEngineOptions());

    public override async Task<WaveReport> RunAsync(TaskOrchestrationContext context, ContainmentWave wave)
    {
        _retry = ContainmentTasks.Retried(wave.Engine);
        var parallel = Math.Max(1, wave.Engine.MaxParallelSteps);
        var progress = new WaveSteps(context, wave);

        // A wave of several targets does each phase of an action in one activity (a batch); a wave of one target does
        // each step in its own, as a containment of one account always did.
        var batched = wave.Steps.Select(s => s.Target).Distinct().Count() > 1;
        if (!batched)
        {
            var plans = (await Bounded.ForEachAsync(wave.Steps, parallel, step => PlanAsync(context, step, progress)))
                .Select((plan, i) => (wave.Steps[i].Index, plan)).ToDictionary(p => p.Index, p => p.plan);
            progress.Tell(WaveStage.Planned);
            await DecideAndApplyAsync(context, wave, wave.Steps, plans, batched, progress);
            return progress.Report();
        }

        // When the policy decides every step (pre-approved or not destructive), priority by priority (P0, then P1):
        // every pass is planned at once, P0's first, and P0's changes start as soon as P0 is planned, while the rest is
        // still being planned. When a person is asked, every card goes out at once, once everything is planned (an
        // approver sees the whole wave), and P0 is applied first all the same: actions go in the sheet's order. Either
        // way no P1 change of a target is made before its P0 changes are done.
        var byPolicy = wave.Mode == ContainmentMode.Contain && wave.Steps.All(s => wave.Approval.DecideWithoutAsking(s.Action) is not null);
        var passes = byPolicy
            ? wave.Steps.GroupBy(s => ActionCatalog.Get(s.Action).Priority).OrderBy(g => g.Key).Select(g => (IReadOnlyList<StepContext>)[.. g]).ToList()
            : [wave.Steps];
        var planning = passes.Select(pass => PlanBatchAsync(context, wave, pass, progress)).ToList();
        for (var i = 0; i < passes.Count; i++)
        {
            var plans = await planning[i];

            // Once is enough for the containment to count the wave planned; a later pass's plans are told only when the
            // plan comment needs its steps (each event is an episode of the parent, which reads its whole history).
            if (i == 0 || wave.SharesPlans)
            {
                progress.Tell(WaveStage.Planned);
            }

            await DecideAndApplyAsync(context, wave, passes[i], plans, batched, progress);
            if (passes[i].All(s => ActionCatalog.Get(s.Action).Priority == Priority.P0))
            {
                progress.P0Done();
            }
        }

        return progress.Report();
    }

    /// <summary>Asks for the decisions on these planned steps, then action by action in the sheet's order: gate → apply → verify.</summary>
    private async Task DecideAndApplyAsync(
        TaskOrchestrationContext context, ContainmentWave wave, IReadOnlyList<StepContext> all, Dictionary<int, ActionPlan> plans, bool batched, WaveSteps progress)
    {
        if (wave.Mode != ContainmentMode.Contain)
        {
            return;
        }

        var deadline = context.UtcNow() + wave.Approval.Timeout;
        var pending = await RequestApprovalsAsync(context, wave, all, plans, deadline, progress);
        if (batched && pending.Count == 0)
        {
            await ApplyInOrderAsync(context, wave, all, plans, progress);
            return;
        }

        // Action by action, in the sheet's order: every target of the wave loses its password before any loses its sessions.
        foreach (var action in all.Where(s => plans[s.Index].Status == PlanStatus.ChangeRequired).GroupBy(s => s.Action))
        {
            if (ActionCatalog.Get(action.Key).Priority > Priority.P0)
            {
                progress.P0Done();
            }

            List<StepContext> steps = [.. action];
            var asked = steps.Where(s => pending.ContainsKey(s.Index)).Select(s => pending[s.Index]).DistinctBy(r => r.RequestId).ToList();
            var decided = new Dictionary<int, ApprovalOutcome>();
            foreach (var request in asked)
            {
                var covered = steps.Where(s => pending.TryGetValue(s.Index, out var r) && r.RequestId == request.RequestId).ToList();
                foreach (var (index, outcome) in await GateAsync(context, wave, request, covered, deadline, progress))
                {
                    decided[index] = outcome;
                }
            }

            if (batched)
            {
                var byPolicy = DecideByPolicy(context, wave, [.. steps.Where(s => !decided.ContainsKey(s.Index))], decided, progress);
                var approved = steps.Where(s => decided[s.Index] is ApprovalOutcome.Approved or ApprovalOutcome.PreApproved or ApprovalOutcome.NotRequired);
                await ApplyBatchAsync(context, wave, [.. approved.Select(s => new StepWork(s, plans[s.Index]))], byPolicy, progress);
            }
            else
            {
                await ApplyEachAsync(context, wave, steps, decided, plans, progress);
            }

            if (asked.Count > 0)
            {
                progress.Tell(WaveStage.Deciding);
            }
        }
    }

    /// <summary>
    /// Every step of the pass decided by policy (no person asked): its actions applied in the sheet's order by one
    /// activity (<see cref="ContainmentTasks.ApplyInOrderAsync"/>) instead of one activity per action, so a wave pays
    /// the engine's round trip (schedule, dispatch, replay) once per pass rather than once per action. The activity
    /// stops after an action some of whose steps it could not apply: those are applied alone, with the engine's retry,
    /// before any later action, so no target gets a later action before an earlier one.
    /// </summary>
    private async Task ApplyInOrderAsync(
        TaskOrchestrationContext context, ContainmentWave wave, IReadOnlyList<StepContext> all, Dictionary<int, ActionPlan> plans, WaveSteps progress)
    {
        var parallel = Math.Max(1, wave.Engine.MaxParallelSteps);
        var batches = new List<WorkBatch>();
        foreach (var action in all.Where(s => plans[s.Index].Status == PlanStatus.ChangeRequired).GroupBy(s => s.Action))
        {
            List<StepContext> steps = [.. action];
            var decisions = DecideByPolicy(context, wave, steps, [], progress);
            batches.Add(new WorkBatch([.. steps.Select(s => new StepWork(s, plans[s.Index]))], parallel) { Decisions = decisions });
        }

        if (batches.Count == 0)
        {
            return;
        }

        IReadOnlyList<IReadOnlyList<StepOutcome>> done;
        try
        {
            done = await context.ApplyInOrderAsync(new WorkInOrder(batches), _retry);
        }
        catch (TaskFailedException)
        {
            done = [];
        }

        for (var k = 0; k < batches.Count; k++)
        {
            if (k < done.Count)
            {
                await TakeOutcomesAsync(context, wave, batches[k].Work, done[k], progress);
            }
            else
            {
                await ApplyBatchAsync(context, wave, batches[k].Work, batches[k].Decisions, progress);
            }
        }
    }

    /// <summary>A wave of one target: each step gated by policy (if no person was asked), applied and verified in activities of its own.</summary>
    private async Task ApplyEachAsync(
        TaskOrchestrationContext context, ContainmentWave wave, IReadOnlyList<StepContext> steps, Dictionary<int, ApprovalOutcome> decided,
        Dictionary<int, ActionPlan> plans, WaveSteps progress) =>
        await Bounded.ForEachAsync(steps, Math.Max(1, wave.Engine.MaxParallelSteps), async step =>
        {
            var outcome = decided.TryGetValue(step.Index, out var known) ? known : await GateByPolicyAsync(context, wave, step, progress);
            if (outcome is ApprovalOutcome.Approved or ApprovalOutcome.PreApproved or ApprovalOutcome.NotRequired)
            {
                await ApplyAndVerifyAsync(context, new StepWork(step, plans[step.Index]), progress, wave.AlertRecheckDelay);
            }

            return outcome;
        });

    /// <summary>Plans every step of the wave in one activity; a step the batch could not plan is planned alone, with the engine's retry.</summary>
    private async Task<Dictionary<int, ActionPlan>> PlanBatchAsync(TaskOrchestrationContext context, ContainmentWave wave, IReadOnlyList<StepContext> steps, WaveSteps progress)
    {
        IReadOnlyList<ActionPlan?> batch;
        try
        {
            batch = await context.PlanStepsAsync(new StepBatch(steps, Math.Max(1, wave.Engine.MaxParallelSteps)), _retry);
        }
        catch (TaskFailedException)
        {
            batch = new ActionPlan?[steps.Count];
        }

        var plans = new Dictionary<int, ActionPlan>();
        var again = new List<StepContext>();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            if (i < batch.Count && batch[i] is { } plan)
            {
                progress.Update(step.Index, r => r with { Plan = plan.Status, Summary = plan.Summary, Warnings = plan.Warnings, Error = plan.Error });
                plans[step.Index] = plan;
            }
            else
            {
                again.Add(step);
            }
        }

        var replanned = await Bounded.ForEachAsync(again, 1, step => PlanAsync(context, step, progress));
        for (var i = 0; i < again.Count; i++)
        {
            plans[again[i].Index] = replanned[i];
        }

        return plans;
    }

    /// <summary>
    /// The policy's decision on each step no person is asked about, as journal entries: the activity that applies the
    /// action writes them first, so a decision costs no activity (and no replay) of its own.
    /// </summary>
    private static List<JournalEntry> DecideByPolicy(
        TaskOrchestrationContext context, ContainmentWave wave, IReadOnlyList<StepContext> steps, Dictionary<int, ApprovalOutcome> decided, WaveSteps progress)
    {
        var now = context.UtcNow();
        var entries = new List<JournalEntry>();
        foreach (var step in steps)
        {
            var outcome = wave.Approval.DecideWithoutAsking(step.Action) ?? ApprovalOutcome.NotRequired;
            progress.Update(step.Index, r => r with { Approval = outcome, DecidedBy = "policy" });
            decided[step.Index] = outcome;
            entries.Add(DecisionEntry(step, outcome, "policy", now, outcome == ApprovalOutcome.PreApproved ? "Pre-approved by policy." : "Not destructive: no approval needed."));
        }

        return entries;
    }

    /// <summary>
    /// Applies and verifies one action's approved steps of the wave in one activity, which first journals the policy's
    /// <paramref name="decisions"/>; a step the batch could not apply is applied alone with the engine's retry, one it
    /// could not verify is verified alone, and a verified 3.a isolation gets its alert re-check.
    /// </summary>
    private async Task ApplyBatchAsync(
        TaskOrchestrationContext context, ContainmentWave wave, IReadOnlyList<StepWork> work, IReadOnlyList<JournalEntry> decisions, WaveSteps progress)
    {
        if (work.Count == 0)
        {
            if (decisions.Count > 0)
            {
                await context.RecordManyAsync(decisions, _retry);
            }

            return;
        }

        IReadOnlyList<StepOutcome> outcomes;
        try
        {
            outcomes = await context.ApplyStepsAsync(new WorkBatch(work, Math.Max(1, wave.Engine.MaxParallelSteps)) { Decisions = decisions }, _retry);
        }
        catch (TaskFailedException)
        {
            // The decisions come before any step applied alone (entry ids are fixed: those the batch wrote are not written twice).
            if (decisions.Count > 0)
            {
                await context.RecordManyAsync(decisions, _retry);
            }

            outcomes = [.. work.Select(w => new StepOutcome(w.Step.Index, null, null, Retry: true))];
        }

        await TakeOutcomesAsync(context, wave, work, outcomes, progress);
    }

    /// <summary>
    /// What a batch of one action's steps came back with: each step's outcome into the report; a step the batch could
    /// not apply is applied alone with the engine's retry, one it could not verify is verified alone, and a verified
    /// 3.a isolation gets its alert re-check.
    /// </summary>
    private async Task TakeOutcomesAsync(TaskOrchestrationContext context, ContainmentWave wave, IReadOnlyList<StepWork> work, IReadOnlyList<StepOutcome> outcomes, WaveSteps progress)
    {
        var byIndex = outcomes.ToDictionary(o => o.StepIndex);
        var again = new List<StepWork>();
        var verifyAgain = new List<StepWork>();
        var isolated = new List<(StepWork Work, VerifyResult Verified)>();
        foreach (var item in work)
        {
            if (!byIndex.TryGetValue(item.Step.Index, out var outcome) || outcome.Retry || outcome.Applied is not { } applied)
            {
                again.Add(item);
                continue;
            }

            progress.Update(item.Step.Index, r => r with { Apply = applied.Outcome, Summary = applied.Summary, Warnings = [.. r.Warnings ?? [], .. applied.Warnings], Error = applied.Error });
            if (applied.Outcome is ApplyOutcome.Applied or ApplyOutcome.AlreadyInPlace or ApplyOutcome.PartiallyApplied)
            {
                if (outcome.Verified is { } verified)
                {
                    progress.Update(item.Step.Index, r => r with { Verify = verified.Outcome });
                    isolated.Add((item, verified));
                }
                else
                {
                    verifyAgain.Add(item);
                }
            }
        }

        var parallel = Math.Max(1, wave.Engine.MaxParallelSteps);
        await Bounded.ForEachAsync(again, parallel, async item =>
        {
            await ApplyAndVerifyAsync(context, item, progress, wave.AlertRecheckDelay);
            return true;
        });
        await Bounded.ForEachAsync(verifyAgain, parallel, async item =>
        {
            try
            {
                var verified = await context.VerifyStepAsync(item, _retry);
                progress.Update(item.Step.Index, r => r with { Verify = verified.Outcome });
                await RecheckAlertsAfterIsolationAsync(context, item, verified, wave.AlertRecheckDelay);
            }
            catch (TaskFailedException failure)
            {
                progress.Update(item.Step.Index, r => r with { Error = TaskFailures.ToErrorInfo(failure) });
            }

            return true;
        });
        await Bounded.ForEachAsync(isolated, parallel, async pair =>
        {
            await RecheckAlertsAfterIsolationAsync(context, pair.Work, pair.Verified, wave.AlertRecheckDelay);
            return true;
        });
    }

    private async Task<ActionPlan> PlanAsync(TaskOrchestrationContext context, StepContext step, WaveSteps progress)
    {
        try
        {
            var plan = await context.PlanStepAsync(step, _retry);
            progress.Update(step.Index, r => r with { Plan = plan.Status, Summary = plan.Summary, Warnings = plan.Warnings, Error = plan.Error });
            return plan;
        }
        catch (TaskFailedException failure)
        {
            var error = TaskFailures.ToErrorInfo(failure);
            var plan = new ActionPlan(step.Action, step.Target, PlanStatus.Failed, $"Planning failed: {error.Message}", [], [], []) { Error = error };
            progress.Update(step.Index, r => r with { Plan = plan.Status, Summary = plan.Summary, Error = error });
            return plan;
        }
    }

    /// <summary>
    /// Asks for every decision of the wave at once, one request per action covering all its targets that need a person,
    /// so approvers can answer while earlier actions run; decisions that arrive early wait for their action's turn.
    /// Returns the request of each step.
    /// </summary>
    private async Task<Dictionary<int, ApprovalRequest>> RequestApprovalsAsync(
        TaskOrchestrationContext context, ContainmentWave wave, IReadOnlyList<StepContext> all, Dictionary<int, ActionPlan> plans, DateTimeOffset deadline, WaveSteps progress)
    {
        var requests = new Dictionary<int, ApprovalRequest>();
        var asking = all.Where(s => plans[s.Index].Status == PlanStatus.ChangeRequired && wave.Approval.DecideWithoutAsking(s.Action) is null);
        foreach (var action in asking.GroupBy(s => s.Action))
        {
            List<StepContext> steps = [.. action];
            var first = steps[0];
            var plan = plans[first.Index];
            var descriptor = ActionCatalog.Get(first.Action);
            var targets = steps.Select(s => new ApprovalTarget(s.Index, s.Target, plans[s.Index].Summary, plans[s.Index].Changes, plans[s.Index].Warnings,
                TwoPersonRule.RequiredApprovals(s.Action, plans[s.Index].Changes, wave.Approval.TwoPerson))).ToList();
            var request = new ApprovalRequest(
                ApprovalRequest.IdFor(first.Index, first.Action), wave.ParentInstanceId, wave.IncidentId, first.Index, first.Action,
                descriptor.Title, first.Target, steps.Count == 1 ? plan.Summary : GroupSummary(targets), plan.Changes, plan.Evidence,
                steps.Count == 1 ? plan.Warnings : [.. targets.SelectMany(t => t.Warnings).Distinct().Take(MaxGroupWarnings)], descriptor.Reversible, context.UtcNow(), deadline)
            {
                Severity = wave.Severity,
                RequiredApprovals = targets.Max(t => t.RequiredApprovals),
                OnTimeout = wave.Approval.ApplyOnTimeout.Contains(first.Action) ? TimeoutAction.Apply : TimeoutAction.Abort,
                Context = wave.ContextFor(first.Target),
                Targets = steps.Count == 1 ? [] : targets,
                WaitingInstanceId = context.InstanceId,
            };
            await context.RequestApprovalAsync(request, _retry);
            foreach (var step in steps)
            {
                requests[step.Index] = request;
            }
        }

        // Published once every card is out: a reader of the status never sees a partial list and takes it for the whole.
        if (requests.Count > 0)
        {
            progress.AddPending(requests.Values.DistinctBy(r => r.RequestId));
            progress.Tell(WaveStage.Deciding);
        }

        return requests;
    }

    /// <summary>Distinct warnings a grouped request lists (each target's own are on the approval page).</summary>
    private const int MaxGroupWarnings = 10;

    private static string GroupSummary(IReadOnlyList<ApprovalTarget> targets) =>
        $"{targets.Count} targets: {string.Join(", ", targets.Take(3).Select(t => t.Target.Name))}{(targets.Count > 3 ? $" and {targets.Count - 3} more" : string.Empty)}.";

    /// <summary>A step no person is asked about: pre-approved by policy, or not destructive.</summary>
    private async Task<ApprovalOutcome> GateByPolicyAsync(TaskOrchestrationContext context, ContainmentWave wave, StepContext step, WaveSteps progress)
    {
        var outcome = wave.Approval.DecideWithoutAsking(step.Action) ?? ApprovalOutcome.NotRequired;
        progress.Update(step.Index, r => r with { Approval = outcome, DecidedBy = "policy" });
        await context.RecordAsync(DecisionEntry(step, outcome, "policy", context.UtcNow(),
            outcome == ApprovalOutcome.PreApproved ? "Pre-approved by policy." : "Not destructive: no approval needed."), _retry);
        return outcome;
    }

    /// <summary>
    /// Waits for the decisions on <paramref name="request"/>, then decides each of its targets exactly and journals
    /// each target's decision: a rejection rejects them all; a target an approver excluded is rejected by that approver;
    /// any other target is approved once as many different people approved as it needs, else it timed out.
    /// </summary>
    private async Task<Dictionary<int, ApprovalOutcome>> GateAsync(
        TaskOrchestrationContext context, ContainmentWave wave, ApprovalRequest request, IReadOnlyList<StepContext> steps, DateTimeOffset deadline, WaveSteps progress)
    {
        // Decisions raised before this wait are buffered by the engine, so an early answer is not lost.
        var gate = await CollectDecisionsAsync(context, steps, request, deadline);
        var outcomes = new Dictionary<int, ApprovalOutcome>();
        var entries = new List<JournalEntry>();
        foreach (var step in steps)
        {
            var (outcome, entry) = Decide(context, request, step, gate.Outcome, gate.Decisions, deadline);
            progress.Resolve(step.Index, outcome, entry.Actor);
            outcomes[step.Index] = outcome;
            entries.Add(entry);
        }

        progress.Answered(request.RequestId);
        await (entries.Count == 1 ? context.RecordAsync(entries[0], _retry) : context.RecordManyAsync(entries, _retry));
        return outcomes;
    }

    /// <summary>One target's decision and its journal entry, from what the approvers of its request said.</summary>
    private static (ApprovalOutcome Outcome, JournalEntry Entry) Decide(
        TaskOrchestrationContext context, ApprovalRequest request, StepContext step, ApprovalOutcome gateOutcome, List<ApprovalDecision> decisions, DateTimeOffset deadline)
    {
        if (gateOutcome == ApprovalOutcome.Rejected)
        {
            return (ApprovalOutcome.Rejected, DecisionEntry(step, ApprovalOutcome.Rejected, string.Join(" + ", decisions.Select(d => d.DecidedBy)), decisions[^1].DecidedAt, Said(decisions)));
        }

        var excluding = decisions.Where(d => request.IsGrouped && d.Excluded.Contains(step.Index)).ToList();
        if (excluding.Count > 0)
        {
            return (ApprovalOutcome.Rejected, DecisionEntry(step, ApprovalOutcome.Rejected, string.Join(" + ", excluding.Select(d => d.DecidedBy)), excluding[0].DecidedAt,
                string.Join(" ", excluding.Select(d => $"{d.DecidedBy} excluded this target from request {request.RequestId} at {d.DecidedAt:u}"
                    + (d.Comment is { Length: > 0 } comment ? $" (comment: {comment})." : " (no comment).")))));
        }

        var required = request.RequiredFor(step.Index);
        if (decisions.Count >= required)
        {
            var approving = decisions.Take(required).ToList();
            return (ApprovalOutcome.Approved, DecisionEntry(step, ApprovalOutcome.Approved, string.Join(" + ", approving.Select(d => d.DecidedBy)), approving[^1].DecidedAt, Said(approving)));
        }

        // Applying on timeout is the policy's decision, so the report shows it as pre-approved, never as a person's approval.
        var entry = DecisionEntry(step, ApprovalOutcome.TimedOut, "policy", context.UtcNow(), request.OnTimeout == TimeoutAction.Apply
            ? $"No decision before {deadline:u}: applied, as TimeoutPolicy pre-approves {step.Action} for severity {request.Severity}."
            : decisions.Count > 0
                ? $"Only {decisions.Count} of {required} distinct approvals before {deadline:u}: not applied."
                : $"No decision before {deadline:u}: not applied.");
        return request.OnTimeout == TimeoutAction.Apply
            ? (ApprovalOutcome.PreApproved, entry with { Outcome = "approval:timed-out-applied" })
            : (ApprovalOutcome.TimedOut, entry);
    }

    private static string Said(IEnumerable<ApprovalDecision> decisions) =>
        string.Join(" ", decisions.Select(d => $"{d.DecidedBy} {(d.Verdict == ApprovalVerdict.Approve ? "approved" : "rejected")} at {d.DecidedAt:u}"
            + (d.Comment is { Length: > 0 } comment ? $" (comment: {comment})." : " (no comment).")));

    /// <summary>
    /// Waits for the decisions a request needs: any reject ends the gate; an approval counts once per person (object id
    /// when known, else name), and a two-person request waits until two different people approved or the deadline
    /// passes. A first approval of a two-person target is journaled for that target as it comes.
    /// </summary>
    private async Task<(ApprovalOutcome Outcome, List<ApprovalDecision> Decisions)> CollectDecisionsAsync(
        TaskOrchestrationContext context, IReadOnlyList<StepContext> steps, ApprovalRequest request, DateTimeOffset deadline)
    {
        var approvals = new List<ApprovalDecision>();
        for (var read = 0; read < MaxDecisionsPerStep; read++)
        {
            var remaining = deadline - context.UtcNow();
            if (read > 0 && remaining <= TimeSpan.Zero)
            {
                break;
            }

            ApprovalDecision decision;
            try
            {
                // A decision buffered before the deadline still counts when this action's turn comes after it.
                decision = await context.WaitForExternalEvent<ApprovalDecision>(
                    ApprovalEvents.NameFor(request.RequestId), remaining > TimeSpan.Zero ? remaining : TimeSpan.FromSeconds(1));
            }
            catch (TaskCanceledException)
            {
                break;
            }

            if (decision.Verdict == ApprovalVerdict.Reject)
            {
                return (ApprovalOutcome.Rejected, [.. approvals, decision]);
            }

            if (approvals.Any(a => SamePerson(a, decision)) || !CountsTowards(request, decision))
            {
                continue;
            }

            approvals.Add(decision);
            if (approvals.Count >= request.RequiredApprovals)
            {
                return (ApprovalOutcome.Approved, approvals);
            }

            // Journaled for each target still waiting for a second person (not one this approver excluded).
            var waiting = steps.Where(s => request.RequiredFor(s.Index) > approvals.Count && !(request.IsGrouped && decision.Excluded.Contains(s.Index))).ToList();
            await Bounded.ForEachAsync(waiting, MaxParallelRecords, step => context.RecordAsync(DecisionEntry(step, ApprovalOutcome.Approved, decision.DecidedBy, decision.DecidedAt,
                    $"First of {request.RequiredFor(step.Index)} approvals (tier-0 change): {decision.DecidedBy}. Waiting for a different approver until {deadline:u}.")
                with { Id = ContainmentActivities.EntryId(step, $"decision-{approvals.Count}"), Outcome = ApprovalFollowUps.AwaitingSecondApprover }, _retry));
        }

        return (ApprovalOutcome.TimedOut, approvals);
    }

    private const int MaxParallelRecords = 8;

    /// <summary>A step that needs two people counts only signed-in people (Entra object ids): never a function key or a bare name.</summary>
    private static bool CountsTowards(ApprovalRequest request, ApprovalDecision decision) =>
        request.RequiredApprovals <= 1 || decision.IsSignedInPerson;

    private static bool SamePerson(ApprovalDecision a, ApprovalDecision b) =>
        string.Equals(a.DecidedById ?? a.DecidedBy, b.DecidedById ?? b.DecidedBy, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// 3.a only: after a verified isolation, wait on a durable timer and check the resource's security alerts again, as the
    /// sheet asks. Journaled by the activity; a failure of the check is journaled too and never fails the step.
    /// </summary>
    private async Task RecheckAlertsAfterIsolationAsync(TaskOrchestrationContext context, StepWork work, VerifyResult verified, TimeSpan delay)
    {
        if (work.Step.Action != Cases.CompromisedAzureResource.IsolateResource.ActionId || verified.Outcome != VerifyOutcome.Verified)
        {
            return;
        }

        var isolatedAt = context.UtcNow();
        if (delay > TimeSpan.Zero)
        {
            await context.CreateTimer(delay, CancellationToken.None);
        }

        try
        {
            await context.CheckAlertsAfterIsolationAsync(new AlertCheckInput(work.Step, isolatedAt), _retry);
        }
        catch (TaskFailedException)
        {
            // The check is evidence, not containment: the journal already says what the activity could not do.
        }
    }

    private async Task ApplyAndVerifyAsync(TaskOrchestrationContext context, StepWork work, WaveSteps progress, TimeSpan recheckDelay)
    {
        var index = work.Step.Index;
        try
        {
            var applied = await context.ApplyStepAsync(work, _retry);
            progress.Update(index, r => r with { Apply = applied.Outcome, Summary = applied.Summary, Warnings = [.. r.Warnings ?? [], .. applied.Warnings], Error = applied.Error });
            if (applied.Outcome is ApplyOutcome.Applied or ApplyOutcome.AlreadyInPlace or ApplyOutcome.PartiallyApplied)
            {
                var verified = await context.VerifyStepAsync(work, _retry);
                progress.Update(index, r => r with { Verify = verified.Outcome });
                await RecheckAlertsAfterIsolationAsync(context, work, verified, recheckDelay);
            }
        }
        catch (TaskFailedException failure)
        {
            progress.Update(index, r => r with { Apply = r.Apply ?? ApplyOutcome.Failed, Error = TaskFailures.ToErrorInfo(failure) });
        }
    }

    private static JournalEntry DecisionEntry(StepContext step, ApprovalOutcome outcome, string decidedBy, DateTimeOffset at, string detail) =>
        new(ContainmentActivities.EntryId(step, "decision"), at, step.IncidentId, decidedBy, step.Action.Value, step.Target.ToString(),
            $"approval:{ContainmentActivities.Kebab(outcome)}", detail);

    /// <summary>The wave's steps as they stand, its pending decisions, and what it tells the containment.</summary>
    private sealed class WaveSteps
    {
        private readonly TaskOrchestrationContext _context;
        private readonly ContainmentWave _wave;
        private readonly SortedDictionary<int, StepReport> _steps = [];
        private readonly Dictionary<string, ApprovalRequest> _pending = new(StringComparer.Ordinal);

        public WaveSteps(TaskOrchestrationContext context, ContainmentWave wave)
        {
            _context = context;
            _wave = wave;
            foreach (var s in wave.Steps)
            {
                var descriptor = ActionCatalog.Get(s.Action);
                _steps[s.Index] = new StepReport(s.Index, s.Action, descriptor.Title, descriptor.Priority, s.Target);
            }
        }

        public void Update(int stepIndex, Func<StepReport, StepReport> change) => _steps[stepIndex] = change(_steps[stepIndex]);

        public void AddPending(IEnumerable<ApprovalRequest> requests)
        {
            foreach (var request in requests)
            {
                _pending[request.RequestId] = request;
            }
        }

        public void Resolve(int stepIndex, ApprovalOutcome outcome, string decidedBy) =>
            Update(stepIndex, r => r with { Approval = outcome, DecidedBy = decidedBy });

        public void Answered(string requestId) => _pending.Remove(requestId);

        private bool _p0Done;

        /// <summary>Tells the containment, once, that this wave's P0 steps are all done, so another wave's may start.</summary>
        public void P0Done()
        {
            if (!_p0Done && _wave.Mode == ContainmentMode.Contain)
            {
                _p0Done = true;
                Tell(WaveStage.P0Done);
            }
        }

        /// <summary>Pending requests oldest first: in the order of their first step.</summary>
        private IEnumerable<ApprovalRequest> Pending => _pending.Values.OrderBy(r => r.StepIndex);

        /// <summary>Tells the containment where this wave stands (its steps too, once planned): an event, never awaited.</summary>
        public void Tell(WaveStage stage)
        {
            var steps = _steps.Values.ToList();
            var counts = StepCounts.Of(steps);
            List<PendingDecision> pending = [.. Pending.Take(ContainmentStatus.MaxPendingListed).Select(PendingDecision.Of)];
            _context.SendEvent(_wave.ReportTo ?? _wave.ParentInstanceId, WaveProgress.EventName, new WaveProgress(_wave.Number, stage, counts, _pending.Count, pending)
            {
                Steps = stage == WaveStage.Planned && _wave.SharesPlans ? steps : null,
            });
            _context.SetCustomStatus(new ContainmentStatus(_wave.IncidentId, _wave.Mode, ContainmentPhase.Containing, steps.Count, counts, _pending.Count, pending));
        }

        public WaveReport Report() => new(_wave.Number, [.. _steps.Values]);
    }
}
