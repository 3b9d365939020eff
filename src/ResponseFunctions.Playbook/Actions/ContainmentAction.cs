using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Actions;

/// <summary>
/// The one shape of an action: it says what it reads, what it plans, how it makes one change and how it verifies;
/// <see cref="ChangeRunner"/> does the rest (guard, before/after, one outcome per change, transient failures left to
/// the engine's retry). The action's facts (guard, permissions, priority) are its catalog row's.
/// </summary>
/// <typeparam name="TState">What the action reads of the tenant: planned from, journaled before and after apply.</typeparam>
public abstract class ContainmentAction<TState>(ChangeRunner runner) : IContainmentAction
{
    public abstract ActionId Id { get; }

    public ActionDescriptor Descriptor => ActionCatalog.Get(Id);

    /// <summary>The runner, for an action that also does a wave's steps together (<see cref="IWaveAction"/>) and checks their guard itself.</summary>
    protected ChangeRunner Runner => runner;

    public Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken) => runner.PlanAsync(this, step, cancellationToken);

    public Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken) => runner.ApplyAsync(this, step, plan, cancellationToken);

    public abstract Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken);

    /// <summary>The tenant's state this action plans from; read again before and after apply.</summary>
    protected internal abstract Task<TState> ReadAsync(StepContext step, CancellationToken cancellationToken);

    /// <summary>The before-state apply starts from: read again by default (Case 3 keeps what its plan read).</summary>
    protected internal virtual Task<TState> ReadBeforeApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken) => ReadAsync(step, cancellationToken);

    /// <summary>The after-state: read again by default.</summary>
    protected internal virtual Task<TState> ReadAfterApplyAsync(StepContext step, TState before, CancellationToken cancellationToken) => ReadAsync(step, cancellationToken);

    /// <summary>Whether the after-state is read even when apply sent nothing (by default the before-state stands for it).</summary>
    protected internal virtual bool AlwaysReadsAfter => false;

    /// <summary>The plan from what was read, once the step passed its guard (whose evidence the plan may show).</summary>
    protected internal virtual Task<ActionPlan> PlanChangesAsync(StepContext step, TState state, GuardVerdict verdict, CancellationToken cancellationToken) =>
        Task.FromResult(Plan(step, state, verdict));

    /// <summary>The plan, when planning needs nothing beyond the read (override this or <see cref="PlanChangesAsync"/>).</summary>
    protected virtual ActionPlan Plan(StepContext step, TState state, GuardVerdict verdict) =>
        throw new InvalidOperationException($"{Id} overrides neither Plan nor PlanChangesAsync: an action must plan one way or the other.");

    /// <summary>Makes one planned change against the before-state: <see cref="ChangeOutcome.AlreadyDone"/> when it is in place already.</summary>
    protected internal abstract Task<ChangeOutcome> ApplyChangeAsync(StepContext step, TState before, PlannedChange change, CancellationToken cancellationToken);

    /// <summary>
    /// The same, seeing the whole approved plan: for a change the service makes together with others of the plan (2.c's
    /// certificates go in one PATCH per object). By default, the change alone.
    /// </summary>
    protected internal virtual Task<ChangeOutcome> ApplyChangeAsync(StepContext step, ActionPlan plan, TState before, PlannedChange change, CancellationToken cancellationToken) =>
        ApplyChangeAsync(step, before, change, cancellationToken);

    /// <summary>The apply result's one-line summary.</summary>
    protected internal abstract string Summarize(StepContext step, TState before, TState after, IReadOnlyList<ChangeResult> results);

    /// <summary>What the journal keeps of the state, before and after (the shape release reads back).</summary>
    protected internal virtual object? Journaled(TState state) => state;

    /// <summary>The target's appId, for the <see cref="ActionGuard.Application"/> guard.</summary>
    protected internal virtual string? AppIdOf(TState state) => null;

    /// <summary>What the analyst must still do once the changes are made (none by default).</summary>
    protected internal virtual IReadOnlyList<string> ApplyWarnings(ActionPlan plan, TState before, IReadOnlyList<ChangeResult> results) => [];

    /// <summary>A guard that only some changes need (1.f: removing Global Administrator), checked right before the change.</summary>
    protected internal virtual Task<GuardVerdict?> CheckChangeAsync(StepContext step, PlannedChange change, CancellationToken cancellationToken) =>
        Task.FromResult<GuardVerdict?>(null);

    /// <summary>Whether a 404 on this change means it is in place (a removal: gone is done); an addition says false.</summary>
    protected internal virtual bool GoneMeansDone(PlannedChange change) => true;

    /// <summary>A change the service refuses while others remain (1.d: the default method) is tried again after the others.</summary>
    protected internal virtual bool RetryAfterOthers(PlannedChange change, ErrorInfo error) => false;
}
