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

        var planned = await Bounded.ForEachAsync(wave.Steps, parallel, step => PlanAsync(context, step, progress));
        var plans = wave.Steps.Select((s, i) => (s.Index, Plan: planned[i])).ToDictionary(p => p.Index, p => p.Plan);
        progress.Tell(WaveStage.Planned);
        if (wave.Mode == ContainmentMode.Contain)
        {
            var deadline = context.UtcNow() + wave.Approval.Timeout;
            var pending = await RequestApprovalsAsync(context, wave, plans, deadline, progress);

            // Action by action, in the sheet's order: every target of the wave loses its password before any loses its sessions.
            foreach (var action in wave.Steps.Where(s => plans[s.Index].Status == PlanStatus.ChangeRequired).GroupBy(s => s.Action))
            {
                var asked = action.Any(s => pending.ContainsKey(s.Index));
                await Bounded.ForEachAsync([.. action], parallel, async step =>
                {
                    var outcome = await GateAsync(context, wave, step, pending.GetValueOrDefault(step.Index), deadline, progress);
                    if (outcome is ApprovalOutcome.Approved or ApprovalOutcome.PreApproved or ApprovalOutcome.NotRequired)
                    {
                        await ApplyAndVerifyAsync(context, new StepWork(step, plans[step.Index]), progress, wave.AlertRecheckDelay);
                    }

                    return outcome;
                });
                if (asked)
                {
                    progress.Tell(WaveStage.Deciding);
                }
            }
        }

        return progress.Report();
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

    /// <summary>Asks for every decision of the wave at once, so approvers can answer while earlier steps run; decisions that arrive early wait for their step.</summary>
    private async Task<Dictionary<int, ApprovalRequest>> RequestApprovalsAsync(
        TaskOrchestrationContext context, ContainmentWave wave, Dictionary<int, ActionPlan> plans, DateTimeOffset deadline, WaveSteps progress)
    {
        var requests = new Dictionary<int, ApprovalRequest>();
        foreach (var step in wave.Steps.Where(s => plans[s.Index].Status == PlanStatus.ChangeRequired))
        {
            if (wave.Approval.DecideWithoutAsking(step.Action) is not null)
            {
                continue;
            }

            var plan = plans[step.Index];
            var descriptor = ActionCatalog.Get(step.Action);
            var request = new ApprovalRequest(
                ApprovalRequest.IdFor(step.Index, step.Action), wave.ParentInstanceId, wave.IncidentId, step.Index, step.Action,
                descriptor.Title, step.Target, plan.Summary, plan.Changes, plan.Evidence, plan.Warnings, descriptor.Reversible, context.UtcNow(), deadline)
            {
                Severity = wave.Severity,
                RequiredApprovals = TwoPersonRule.RequiredApprovals(step.Action, plan.Changes, wave.Approval.TwoPerson),
                OnTimeout = wave.Approval.ApplyOnTimeout.Contains(step.Action) ? TimeoutAction.Apply : TimeoutAction.Abort,
                Context = wave.ContextFor(step.Target),
                WaitingInstanceId = context.InstanceId,
            };
            await context.RequestApprovalAsync(request, _retry);
            requests[step.Index] = request;
        }

        // Published once every card is out: a reader of the status never sees a partial list and takes it for the whole.
        if (requests.Count > 0)
        {
            progress.AddPending(requests.Values);
            progress.Tell(WaveStage.Deciding);
        }

        return requests;
    }

    private async Task<ApprovalOutcome> GateAsync(
        TaskOrchestrationContext context, ContainmentWave wave, StepContext step, ApprovalRequest? request, DateTimeOffset deadline, WaveSteps progress)
    {
        var decidedWithoutAsking = wave.Approval.DecideWithoutAsking(step.Action);
        if (decidedWithoutAsking is not null || request is null)
        {
            var outcome = decidedWithoutAsking ?? ApprovalOutcome.NotRequired;
            progress.Update(step.Index, r => r with { Approval = outcome, DecidedBy = "policy" });
            await context.RecordAsync(DecisionEntry(step, outcome, "policy", context.UtcNow(),
                outcome == ApprovalOutcome.PreApproved ? "Pre-approved by policy." : "Not destructive: no approval needed."), _retry);
            return outcome;
        }

        // Decisions raised before this wait are buffered by the engine, so an early answer is not lost.
        var gate = await CollectDecisionsAsync(context, step, request, deadline);
        var result = gate.Outcome;
        var last = gate.Decisions.Count > 0 ? gate.Decisions[^1] : null;
        var decidedBy = gate.Outcome == ApprovalOutcome.TimedOut ? "policy" : string.Join(" + ", gate.Decisions.Select(d => d.DecidedBy));
        var applyOnTimeout = result == ApprovalOutcome.TimedOut && request.OnTimeout == TimeoutAction.Apply;

        // Applying on timeout is the policy's decision, so the report shows it as pre-approved, never as a person's approval.
        progress.Resolve(step.Index, applyOnTimeout ? ApprovalOutcome.PreApproved : result, decidedBy);
        var entry = DecisionEntry(step, result, decidedBy, result == ApprovalOutcome.TimedOut ? context.UtcNow() : last!.DecidedAt, result switch
        {
            ApprovalOutcome.TimedOut when applyOnTimeout =>
                $"No decision before {deadline:u}: applied, as TimeoutPolicy pre-approves {step.Action} for severity {request.Severity}.",
            ApprovalOutcome.TimedOut => gate.Decisions.Count > 0
                ? $"Only {gate.Decisions.Count} of {request.RequiredApprovals} distinct approvals before {deadline:u}: not applied."
                : $"No decision before {deadline:u}: not applied.",
            _ => string.Join(" ", gate.Decisions.Select(d => $"{d.DecidedBy} {(d.Verdict == ApprovalVerdict.Approve ? "approved" : "rejected")} at {d.DecidedAt:u}"
                + (d.Comment is { Length: > 0 } comment ? $" (comment: {comment})." : " (no comment)."))),
        });
        await context.RecordAsync(applyOnTimeout ? entry with { Outcome = "approval:timed-out-applied" } : entry, _retry);
        return applyOnTimeout ? ApprovalOutcome.PreApproved : result;
    }

    /// <summary>
    /// Waits for the decisions a step needs: any reject ends the gate; an approval counts once per person (object id
    /// when known, else name), and a two-person step waits until two different people approved or the deadline passes.
    /// </summary>
    private async Task<(ApprovalOutcome Outcome, List<ApprovalDecision> Decisions)> CollectDecisionsAsync(
        TaskOrchestrationContext context, StepContext step, ApprovalRequest request, DateTimeOffset deadline)
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
                // A decision buffered before the deadline still counts when this step's turn comes after it.
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

            await context.RecordAsync(DecisionEntry(step, ApprovalOutcome.Approved, decision.DecidedBy, decision.DecidedAt,
                    $"First of {request.RequiredApprovals} approvals (tier-0 change): {decision.DecidedBy}. Waiting for a different approver until {deadline:u}.")
                with { Id = ContainmentActivities.EntryId(step, $"decision-{approvals.Count}"), Outcome = ApprovalFollowUps.AwaitingSecondApprover }, _retry);
        }

        return (ApprovalOutcome.TimedOut, approvals);
    }

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
        private readonly SortedDictionary<int, ApprovalRequest> _pending = [];

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
                _pending[request.StepIndex] = request;
            }
        }

        public void Resolve(int stepIndex, ApprovalOutcome outcome, string decidedBy)
        {
            _pending.Remove(stepIndex);
            Update(stepIndex, r => r with { Approval = outcome, DecidedBy = decidedBy });
        }

        /// <summary>Tells the containment where this wave stands (its steps too, once planned): an event, never awaited.</summary>
        public void Tell(WaveStage stage)
        {
            var steps = _steps.Values.ToList();
            var counts = StepCounts.Of(steps);
            List<PendingDecision> pending = [.. _pending.Values.Take(ContainmentStatus.MaxPendingListed).Select(PendingDecision.Of)];
            _context.SendEvent(_wave.ParentInstanceId, WaveProgress.EventName, new WaveProgress(_wave.Number, stage, counts, _pending.Count, pending)
            {
                Steps = stage == WaveStage.Planned ? steps : null,
            });
            _context.SetCustomStatus(new ContainmentStatus(_wave.IncidentId, _wave.Mode, ContainmentPhase.Containing, steps.Count, counts, _pending.Count, pending));
        }

        public WaveReport Report() => new(_wave.Number, [.. _steps.Values]);
    }
}
