using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Intake.Reporting;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// The containment, as a Durable Task orchestrator: prepare, plan every step (read-only), then step by step in the
/// sheet's order: gate → apply → verify. The same class runs in Azure Functions, in the drills and in the tests.
/// Deterministic: all I/O happens in activities, time comes from the context, and a failed step is recorded without
/// stopping the others.
/// </summary>
[DurableTask(Name)]
public sealed class ContainmentOrchestrator : TaskOrchestrator<ContainmentRequest, ContainmentReport>
{
    public const string Name = "ContainmentOrchestrator";

    /// <summary>Upper bound on decisions read for one step, so decisions raised again and again (the same person twice) cannot loop forever.</summary>
    private const int MaxDecisionsPerStep = 20;

    // Until Prepare returns the engine settings (read by an activity, so that a replay sees the same values).
    private TaskOptions _retry = ContainmentTasks.Retried(new ContainmentEngineOptions());

    public override async Task<ContainmentReport> RunAsync(TaskOrchestrationContext context, ContainmentRequest request)
    {
        var prepared = await context.PrepareAsync(new PrepareInput(context.InstanceId, request, context.UtcNow()), _retry);
        _retry = ContainmentTasks.Retried(prepared.Engine);
        var progress = new ContainmentProgress(context, request, prepared);

        // Plan everything before anything changes: the approver sees the whole containment, the journal keeps the evidence.
        var plans = new Dictionary<int, ActionPlan>();
        foreach (var step in prepared.Steps)
        {
            plans[step.Index] = await PlanAsync(context, step, progress);
        }

        var planned = progress.Publish(request.Mode == ContainmentMode.Plan ? ContainmentPhase.Planned : ContainmentPhase.Containing);
        await ReportToIncidentAsync(context, request, IncidentPhase.Plan, planned);
        if (request.Mode == ContainmentMode.Contain)
        {
            var deadline = context.UtcNow() + prepared.Approval.Timeout;
            var pending = await RequestApprovalsAsync(context, prepared, plans, deadline, progress);
            foreach (var step in prepared.Steps.Where(s => plans[s.Index].Status == PlanStatus.ChangeRequired))
            {
                var outcome = await GateAsync(context, prepared, step, pending.GetValueOrDefault(step.Index), deadline, progress);
                if (outcome is ApprovalOutcome.Approved or ApprovalOutcome.PreApproved or ApprovalOutcome.NotRequired)
                {
                    await ApplyAndVerifyAsync(context, new StepWork(step, plans[step.Index]), progress, prepared.AlertRecheckDelay);
                }
            }

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

    private async Task<ActionPlan> PlanAsync(TaskOrchestrationContext context, StepContext step, ContainmentProgress progress)
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

    /// <summary>Asks for every decision at once, so approvers can answer while earlier steps run; decisions that arrive early wait for their step.</summary>
    private async Task<Dictionary<int, ApprovalRequest>> RequestApprovalsAsync(
        TaskOrchestrationContext context, PreparedContainment prepared, Dictionary<int, ActionPlan> plans, DateTimeOffset deadline, ContainmentProgress progress)
    {
        var requests = new Dictionary<int, ApprovalRequest>();
        foreach (var step in prepared.Steps.Where(s => plans[s.Index].Status == PlanStatus.ChangeRequired))
        {
            if (prepared.Approval.DecideWithoutAsking(step.Action) is not null)
            {
                continue;
            }

            var plan = plans[step.Index];
            var descriptor = ActionCatalog.Get(step.Action);
            var request = new ApprovalRequest(
                ApprovalRequest.IdFor(step.Index, step.Action), context.InstanceId, prepared.Scope.IncidentId, step.Index, step.Action,
                descriptor.Title, step.Target, plan.Summary, plan.Changes, plan.Evidence, plan.Warnings, descriptor.Reversible, context.UtcNow(), deadline)
            {
                Severity = prepared.Severity,
                RequiredApprovals = TwoPersonRule.RequiredApprovals(step.Action, plan.Changes, prepared.Approval.TwoPerson),
                OnTimeout = prepared.Approval.ApplyOnTimeout.Contains(step.Action) ? TimeoutAction.Apply : TimeoutAction.Abort,
                Context = prepared.ContextFor(step.Target),
            };
            await context.RequestApprovalAsync(request, _retry);
            requests[step.Index] = request;
        }

        // Published once every card is out: a reader of the status never sees a partial list and takes it for the whole.
        progress.AddPending(requests.Values);
        return requests;
    }

    private async Task<ApprovalOutcome> GateAsync(
        TaskOrchestrationContext context, PreparedContainment prepared, StepContext step, ApprovalRequest? request, DateTimeOffset deadline, ContainmentProgress progress)
    {
        var decidedWithoutAsking = prepared.Approval.DecideWithoutAsking(step.Action);
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

    private async Task ApplyAndVerifyAsync(TaskOrchestrationContext context, StepWork work, ContainmentProgress progress, TimeSpan recheckDelay)
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

    private static JournalEntry DecisionEntry(StepContext step, ApprovalOutcome outcome, string decidedBy, DateTimeOffset at, string detail) =>
        new(ContainmentActivities.EntryId(step, "decision"), at, step.IncidentId, decidedBy, step.Action.Value, step.Target.ToString(),
            $"approval:{ContainmentActivities.Kebab(outcome)}", detail);

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
