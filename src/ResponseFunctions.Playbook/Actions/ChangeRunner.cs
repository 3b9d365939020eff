using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Actions;

/// <summary>
/// Owns plan's and apply's shape for every action, so an action supplies only what is its own (read, plan, apply one
/// change, verify). Plan: the guard the action's catalog row names, then the read, then the action's plan. Apply: the
/// guard again (the tenant may have moved since the approval), the before-state, each planned change with its own
/// outcome (done, already done, failed with its error, refused), the after-state, the result.
/// </summary>
public sealed class ChangeRunner(TenantGuard guard)
{
    /// <summary>The guard of the action's catalog row, for this step (and, for <see cref="ActionGuard.Application"/>, the target's appId).</summary>
    public async Task<GuardVerdict> CheckAsync(ActionGuard kind, StepContext step, string? appId, CancellationToken cancellationToken) => kind switch
    {
        ActionGuard.None => GuardVerdict.Allow(),
        ActionGuard.Principal => guard.CheckPrincipal(step.Target),
        ActionGuard.Application => guard.CheckApplication(step.Target, appId),
        ActionGuard.Resource => guard.CheckResource(step.Target),
        ActionGuard.GlobalAdministratorLoss => await guard.CheckGlobalAdministratorLossAsync(step.Target, step.Scope, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public async Task<ActionPlan> PlanAsync<TState>(ContainmentAction<TState> action, StepContext step, CancellationToken cancellationToken)
    {
        var (verdict, state) = await GuardAndReadAsync(action, step, null, cancellationToken);
        return verdict.Allowed ? await action.PlanChangesAsync(step, state!, verdict, cancellationToken) : Plans.Refused(step, verdict);
    }

    /// <summary>
    /// Plans from a state already read for this step (one read that answered a whole wave, <see cref="IWavePlanning"/>),
    /// exactly as <see cref="PlanAsync{TState}"/> plans after its own read: the same guard, the same plan.
    /// </summary>
    public async Task<ActionPlan> PlanFromAsync<TState>(ContainmentAction<TState> action, StepContext step, TState state, CancellationToken cancellationToken)
    {
        var kind = action.Descriptor.Guard;
        var verdict = await CheckAsync(kind, step, kind == ActionGuard.Application ? action.AppIdOf(state) : null, cancellationToken);
        return verdict.Allowed ? await action.PlanChangesAsync(step, state, verdict, cancellationToken) : Plans.Refused(step, verdict);
    }

    public async Task<ApplyResult> ApplyAsync<TState>(ContainmentAction<TState> action, StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var (verdict, before) = await GuardAndReadAsync(action, step, plan, cancellationToken);
        if (!verdict.Allowed)
        {
            return Results.Refused(step, verdict);
        }

        var results = new Dictionary<PlannedChange, ChangeResult>(ReferenceEqualityComparer.Instance);
        var later = new List<PlannedChange>();
        foreach (var change in plan.Changes)
        {
            var result = await RunOneAsync(action, step, plan, before!, change, cancellationToken);
            if (result is { Outcome: ChangeOutcome.Failed, Error: { } error } && action.RetryAfterOthers(change, error))
            {
                later.Add(change);
                continue;
            }

            results[change] = result;
        }

        foreach (var change in later)
        {
            results[change] = await RunOneAsync(action, step, plan, before!, change, cancellationToken);
        }

        var ordered = plan.Changes.Select(c => results[c]).ToList();

        // Nothing was sent: the tenant is as read before, so it is not read again.
        var after = action.AlwaysReadsAfter || ordered.Any(r => r.Outcome is ChangeOutcome.Done or ChangeOutcome.Failed)
            ? await action.ReadAfterApplyAsync(step, before!, cancellationToken)
            : before!;
        return Results.From(step, ordered, action.Summarize(step, before!, after, ordered), JournaledOf(action, before!), JournaledOf(action, after),
            action.ApplyWarnings(plan, before!, ordered));
    }

    /// <summary>
    /// Makes one planned change and says how it went: gone already (not found) counts as done, a permanent failure
    /// stays on this change while the others go on, and a transient one (throttling, outage) is left to propagate so
    /// the engine retries the whole step (apply skips what the first attempt already did).
    /// </summary>
    /// <param name="goneMeansDone">False for a change that adds (an owner, an assignment): a 404 then says what it
    /// adds to or who it adds is gone, and the change failed.</param>
    public static async Task<ChangeResult> RunAsync(PlannedChange change, Func<Task<ChangeOutcome>> apply, bool goneMeansDone = true)
    {
        try
        {
            return new ChangeResult(change, await apply());
        }
        catch (Exception ex) when (GraphErrors.Classify(ex) is { } error && !GraphErrors.IsTransient(error))
        {
            return error.Kind == ErrorKind.NotFound && goneMeansDone
                ? new ChangeResult(change, ChangeOutcome.AlreadyDone)
                : new ChangeResult(change, ChangeOutcome.Failed, error);
        }
    }

    private static System.Text.Json.JsonElement? JournaledOf<TState>(ContainmentAction<TState> action, TState state) =>
        action.Journaled(state) is { } journaled ? Snapshot.Of(journaled) : null;

    private static async Task<ChangeResult> RunOneAsync<TState>(ContainmentAction<TState> action, StepContext step, ActionPlan plan, TState before, PlannedChange change, CancellationToken cancellationToken)
    {
        if (await action.CheckChangeAsync(step, change, cancellationToken) is { Allowed: false } refused)
        {
            return new ChangeResult(change, ChangeOutcome.Refused, new ErrorInfo(ErrorKind.Forbidden, "tenant-guard", refused.Reason ?? "Refused by the tenant guard."));
        }

        try
        {
            return await RunAsync(change, () => action.ApplyChangeAsync(step, plan, before, change, cancellationToken), action.GoneMeansDone(change));
        }
        catch (ChangeRefusedException refusal)
        {
            return new ChangeResult(change, ChangeOutcome.Refused, refusal.Error);
        }
    }

    /// <summary>
    /// The guard first when it needs nothing from the tenant's state (a refused step reads nothing); the application
    /// guard needs the target's appId, so the state is read first.
    /// </summary>
    private async Task<(GuardVerdict Verdict, TState? State)> GuardAndReadAsync<TState>(
        ContainmentAction<TState> action, StepContext step, ActionPlan? approved, CancellationToken cancellationToken)
    {
        var kind = action.Descriptor.Guard;
        if (kind == ActionGuard.Application)
        {
            var state = await ReadAsync();
            return (await CheckAsync(kind, step, action.AppIdOf(state), cancellationToken), state);
        }

        var verdict = await CheckAsync(kind, step, null, cancellationToken);
        return verdict.Allowed ? (verdict, await ReadAsync()) : (verdict, default);

        Task<TState> ReadAsync() => approved is null ? action.ReadAsync(step, cancellationToken) : action.ReadBeforeApplyAsync(step, approved, cancellationToken);
    }
}

/// <summary>
/// Thrown by an action's apply-one-change when a safety rule, checked against the tenant as it is now, forbids this
/// change (the tenant moved since the plan was approved): the runner keeps it as a refused change and goes on.
/// </summary>
public sealed class ChangeRefusedException(string code, string reason) : Exception(reason)
{
    public ErrorInfo Error { get; } = new(ErrorKind.BadRequest, code, reason);
}
