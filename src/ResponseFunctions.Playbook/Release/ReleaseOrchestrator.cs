using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Release;

/// <summary>
/// A release, as a Durable Task orchestrator of its own, linked to the containment it undoes: prepare (what the
/// containment applied, what cannot be undone), plan every restoring step (read-only: the journaled before-state against
/// the tenant now), then step by step gate → apply → verify. Every restoring step waits for a person: nothing is
/// pre-approved and nothing is applied on timeout. Approvals, decisions and entries use the containment's machinery
/// (approval requests, external events, the main courante), so the approval page and GET api/containments/{id} serve a
/// release like a containment.
/// </summary>
[DurableTask(Name)]
public sealed class ReleaseOrchestrator : TaskOrchestrator<ReleaseRequest, ReleaseReport>
{
    public const string Name = "ReleaseOrchestrator";

    /// <summary>Upper bound on decisions read for one step, so decisions raised again and again cannot loop forever.</summary>
    private const int MaxDecisionsPerStep = 20;

    private TaskOptions _retry = ContainmentTasks.Retried(new ContainmentEngineOptions());

    public override async Task<ReleaseReport> RunAsync(TaskOrchestrationContext context, ReleaseRequest request)
    {
        var prepared = await context.PrepareReleaseAsync(new ReleasePrepareInput(context.InstanceId, request, context.UtcNow()), _retry);
        _retry = ContainmentTasks.Retried(prepared.Engine);
        var reports = prepared.Steps.ToDictionary(s => s.Step.Index, s => new StepReport(
            s.Step.Index, s.Action, $"Release: {ActionCatalog.Get(s.Action).Title}", ActionCatalog.Get(s.Action).Priority, s.Target));
        var pending = new Dictionary<int, ApprovalRequest>();
        Publish(context, request, ContainmentPhase.Planning, reports, pending);

        var plans = new Dictionary<int, ActionPlan>();
        foreach (var step in prepared.Steps)
        {
            plans[step.Step.Index] = await PlanAsync(context, step);
            var plan = plans[step.Step.Index];
            reports[step.Step.Index] = reports[step.Step.Index] with { Plan = plan.Status, Summary = plan.Summary, Warnings = plan.Warnings, Error = plan.Error };
        }

        if (request.Mode == ContainmentMode.Contain)
        {
            var deadline = context.UtcNow() + prepared.ApprovalTimeout;
            var toRelease = prepared.Steps.Where(s => plans[s.Step.Index].Status == PlanStatus.ChangeRequired).ToList();
            foreach (var step in toRelease)
            {
                var approval = ApprovalFor(context, request, prepared, step, plans[step.Step.Index], deadline);
                await context.RequestApprovalAsync(approval, _retry);
                pending[step.Step.Index] = approval;
            }

            Publish(context, request, ContainmentPhase.Containing, reports, pending);
            foreach (var step in toRelease)
            {
                var (outcome, decidedBy) = await GateAsync(context, step, pending[step.Step.Index], deadline);
                pending.Remove(step.Step.Index);
                reports[step.Step.Index] = reports[step.Step.Index] with { Approval = outcome, DecidedBy = decidedBy };
                if (outcome == ApprovalOutcome.Approved)
                {
                    reports[step.Step.Index] = await ApplyAndVerifyAsync(context, new ReleaseWork(step, plans[step.Step.Index]), reports[step.Step.Index]);
                }

                Publish(context, request, ContainmentPhase.Containing, reports, pending);
            }
        }

        var phase = request.Mode == ContainmentMode.Plan ? ContainmentPhase.Planned : ContainmentPhase.Completed;
        Publish(context, request, phase, reports, pending);
        var steps = reports.Values.OrderBy(r => r.Index).ToList();
        await context.RecordAsync(CompletionEntry(context, request, prepared, steps), _retry);
        return new ReleaseReport(context.InstanceId, request.IncidentId, request.ContainmentInstanceId, request.Mode, phase, steps,
            [.. prepared.Steps.Select(s => new ReleasedStep(s.Step.Index, s.OriginalEntryId, s.Item))], prepared.NotUndone);
    }

    private async Task<ActionPlan> PlanAsync(TaskOrchestrationContext context, ReleaseStep step)
    {
        try
        {
            return await context.PlanReleaseStepAsync(step, _retry);
        }
        catch (TaskFailedException failure)
        {
            var error = TaskFailures.ToErrorInfo(failure);
            return new ActionPlan(step.Action, step.Target, PlanStatus.Failed, $"Planning the release failed: {error.Message}", [], [], []) { Error = error };
        }
    }

    private static ApprovalRequest ApprovalFor(
        TaskOrchestrationContext context, ReleaseRequest request, PreparedRelease prepared, ReleaseStep step, ActionPlan plan, DateTimeOffset deadline) =>
        new(ApprovalRequest.IdFor(step.Step.Index, step.Action), context.InstanceId, request.IncidentId, step.Step.Index, step.Action,
            $"Release (undo {step.Action}): {ActionCatalog.Get(step.Action).Title}", step.Target,
            $"{plan.Summary} Undoes {step.OriginalEntryId}{(step.Item is null ? string.Empty : $", item {step.Item}")} of containment {request.ContainmentInstanceId}.",
            plan.Changes, plan.Evidence, plan.Warnings, Reversible: true, context.UtcNow(), deadline)
        {
            RequiredApprovals = TwoPersonRule.RequiredApprovals(step.Action, plan.Changes, prepared.TwoPerson),
            OnTimeout = TimeoutAction.Abort,
            Context = new ApprovalContext(request.Reason, request.RequestedBy,
                new ApprovalSource(IncidentOrigin.Manual, "Release", request.ContainmentInstanceId, $"Release of containment {request.ContainmentInstanceId}", null),
                [new Evidence("Undoes", step.OriginalEntryId)], []),
        };

    /// <summary>Any reject ends the gate; approvals count once per person; a step needing two people counts only signed-in people.</summary>
    private async Task<(ApprovalOutcome Outcome, string DecidedBy)> GateAsync(TaskOrchestrationContext context, ReleaseStep step, ApprovalRequest request, DateTimeOffset deadline)
    {
        var approvals = new List<ApprovalDecision>();
        var refused = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
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
                decision = await context.WaitForExternalEvent<ApprovalDecision>(
                    ApprovalEvents.NameFor(request.RequestId), remaining > TimeSpan.Zero ? remaining : TimeSpan.FromSeconds(1));
            }
            catch (TaskCanceledException)
            {
                break;
            }

            if (decision.Verdict == ApprovalVerdict.Reject)
            {
                await RecordDecisionAsync(context, step, ApprovalOutcome.Rejected, decision.DecidedBy, decision.DecidedAt, Describe([.. approvals, decision]));
                return (ApprovalOutcome.Rejected, decision.DecidedBy);
            }

            // A two-approver step (a role re-granted outside the baseline) refuses the same person twice and any
            // approval that names nobody; both are journaled, so the main courante shows why nothing was granted yet.
            var same = approvals.Any(a => string.Equals(a.DecidedById ?? a.DecidedBy, decision.DecidedById ?? decision.DecidedBy, StringComparison.OrdinalIgnoreCase));
            if (same || (request.RequiredApprovals > 1 && !decision.IsSignedInPerson))
            {
                if (request.RequiredApprovals > 1 && refused.Add(decision.DecidedById ?? decision.DecidedBy))
                {
                    await RecordDecisionAsync(context, step, NotCounted, decision.DecidedBy, decision.DecidedAt, same
                        ? $"{decision.DecidedBy} already approved this step: the same person cannot be its second approver. Waiting for a different approver until {deadline:u}."
                        : $"{decision.DecidedBy} is not a signed-in person: a step needing {request.RequiredApprovals} approvers counts only signed-in people.", $"decision-refused-{read:00}");
                }

                continue;
            }

            approvals.Add(decision);
            if (approvals.Count >= request.RequiredApprovals)
            {
                var by = string.Join(" + ", approvals.Select(a => a.DecidedBy));
                await RecordDecisionAsync(context, step, ApprovalOutcome.Approved, by, decision.DecidedAt, Describe(approvals));
                return (ApprovalOutcome.Approved, by);
            }

            await RecordDecisionAsync(context, step, ApprovalFollowUps.AwaitingSecondApprover, decision.DecidedBy, decision.DecidedAt,
                $"First of {request.RequiredApprovals} approvals (a role re-granted outside the baseline): {decision.DecidedBy}. Nothing is granted until a different approver approves, before {deadline:u}.",
                $"decision-{approvals.Count}");
        }

        await RecordDecisionAsync(context, step, ApprovalOutcome.TimedOut, "policy", context.UtcNow(), approvals.Count > 0
            ? $"Only {approvals.Count} of {request.RequiredApprovals} distinct approvals before {deadline:u}: not released."
            : $"No decision before {deadline:u}: not released (a release is never applied on timeout).");
        return (ApprovalOutcome.TimedOut, "policy");
    }

    private Task RecordDecisionAsync(TaskOrchestrationContext context, ReleaseStep step, ApprovalOutcome outcome, string decidedBy, DateTimeOffset at, string detail) =>
        RecordDecisionAsync(context, step, $"approval:{ContainmentActivities.Kebab(outcome)}", decidedBy, at, detail, "decision");

    /// <summary>Outcome of an approval the gate did not count (the same person again, or nobody signed in): not a decision.</summary>
    private const string NotCounted = "approval:not-counted";

    private Task RecordDecisionAsync(TaskOrchestrationContext context, ReleaseStep step, string outcome, string decidedBy, DateTimeOffset at, string detail, string phase) =>
        context.RecordAsync(
            new JournalEntry(ReleaseActivities.EntryId(step.Step.InstanceId, step.Step.Index, phase), at, step.Step.IncidentId, decidedBy, step.Action.Value,
                step.Target.ToString(), outcome, $"Release of {step.OriginalEntryId}: {detail}"),
            _retry);

    private static string Describe(IEnumerable<ApprovalDecision> decisions) =>
        string.Join(" ", decisions.Select(d => $"{d.DecidedBy} {(d.Verdict == ApprovalVerdict.Approve ? "approved" : "rejected")} at {d.DecidedAt:u}"
            + (d.Comment is { Length: > 0 } comment ? $" (comment: {comment})." : " (no comment).")));

    private async Task<StepReport> ApplyAndVerifyAsync(TaskOrchestrationContext context, ReleaseWork work, StepReport report)
    {
        try
        {
            var applied = await context.ApplyReleaseStepAsync(work, _retry);
            report = report with { Apply = applied.Outcome, Summary = applied.Summary, Warnings = [.. report.Warnings ?? [], .. applied.Warnings], Error = applied.Error };
            if (applied.Outcome is ApplyOutcome.Applied or ApplyOutcome.AlreadyInPlace or ApplyOutcome.PartiallyApplied)
            {
                report = report with { Verify = (await context.VerifyReleaseStepAsync(work, _retry)).Outcome };
            }
        }
        catch (TaskFailedException failure)
        {
            report = report with { Apply = report.Apply ?? ApplyOutcome.Failed, Error = TaskFailures.ToErrorInfo(failure) };
        }

        return report;
    }

    /// <summary>The same small status a containment publishes, so the approval routes read a release like a containment.</summary>
    private static void Publish(
        TaskOrchestrationContext context, ReleaseRequest request, ContainmentPhase phase, Dictionary<int, StepReport> reports, Dictionary<int, ApprovalRequest> pending)
    {
        var steps = reports.Values.ToList();
        var waiting = pending.Values.OrderBy(p => p.StepIndex).ToList();
        context.SetCustomStatus(new ContainmentStatus(
            request.IncidentId,
            request.Mode,
            phase,
            steps.Count,
            new StepCounts(
                steps.Count(s => s.Plan is not null),
                steps.Count(s => s.Plan == PlanStatus.ChangeRequired),
                steps.Count(s => s.Approval is not null),
                steps.Count(s => s.Apply is ApplyOutcome.Applied or ApplyOutcome.AlreadyInPlace or ApplyOutcome.PartiallyApplied),
                steps.Count(s => s.Verify == VerifyOutcome.Verified),
                steps.Count(s => s.Plan == PlanStatus.Failed || s.Apply == ApplyOutcome.Failed || s.Verify == VerifyOutcome.Failed)),
            waiting.Count,
            [.. waiting.Take(ContainmentStatus.MaxPendingListed).Select(p => new PendingDecision(p.RequestId, p.StepIndex, p.Action.Value, p.Deadline, p.RequiredApprovals))]));
    }

    private static JournalEntry CompletionEntry(TaskOrchestrationContext context, ReleaseRequest request, PreparedRelease prepared, IReadOnlyList<StepReport> steps)
    {
        var counts = steps
            .GroupBy(s => s.Apply is { } apply ? $"apply:{ContainmentActivities.Kebab(apply)}"
                : s.Approval is { } approval ? $"approval:{ContainmentActivities.Kebab(approval)}"
                : $"plan:{ContainmentActivities.Kebab(s.Plan ?? PlanStatus.Failed)}")
            .OrderBy(g => g.Key)
            .Select(g => $"{g.Key} {g.Count()}");
        var notUndone = prepared.NotUndone.Count == 0
            ? string.Empty
            : $" Not undone ({prepared.NotUndone.Count}): " + string.Join("; ", prepared.NotUndone.Select(n => $"{n.Action} {n.Target}: {n.FollowUp}"));
        return new JournalEntry(ReleaseActivities.EntryId(context.InstanceId, 99, "completed"), context.UtcNow(), request.IncidentId, prepared.Actor,
            ReleaseEvents.Completed, $"containment {request.ContainmentInstanceId}", request.Mode == ContainmentMode.Plan ? "proposed" : "completed",
            $"{steps.Count} restoring step(s): {(steps.Count == 0 ? "none" : string.Join(", ", counts))}.{notUndone}");
    }
}

/// <summary>A release's output: each restoring step's story, the containment entry it undoes, and what could not be undone.</summary>
public sealed record ReleaseReport(
    string InstanceId,
    string IncidentId,
    string ContainmentInstanceId,
    ContainmentMode Mode,
    ContainmentPhase Phase,
    IReadOnlyList<StepReport> Steps,
    IReadOnlyList<ReleasedStep> Originals,
    IReadOnlyList<ReleaseNotice> NotUndone)
{
    /// <summary>The same steps as a containment report, for what prints or serves one.</summary>
    public ContainmentReport AsContainmentReport() => new(InstanceId, IncidentId, Mode, Phase, Steps, [], []);
}

/// <summary>Which containment entry (and item) a release step undoes.</summary>
public sealed record ReleasedStep(int Index, string OriginalEntryId, string? Item);
