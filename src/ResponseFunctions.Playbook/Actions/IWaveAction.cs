namespace ResponseFunctions.Playbook.Actions;

/// <summary>
/// An action whose wave's steps are planned together: one read answers many targets (a list filtered on several ids),
/// so planning a wave costs a few requests instead of a few per target. Each step still gets its own plan, from the
/// same state its own read would have given, and is applied and verified on its own.
/// </summary>
public interface IWavePlanning : IContainmentAction
{
    /// <summary>One plan per step, in the steps' order.</summary>
    Task<IReadOnlyList<ActionPlan>> PlanWaveAsync(IReadOnlyList<StepContext> steps, CancellationToken cancellationToken);
}

/// <summary>
/// An action the service lets do many targets in one request (1.risk: confirmCompromised takes a list of users), so a
/// wave's steps of it are planned, applied and verified together: a few requests per wave instead of a few per target.
/// Each step still gets its own plan, result and verification, so the journal stays exact per target; the engine
/// journals every step's intent before <see cref="ApplyWaveAsync"/> changes anything.
/// </summary>
public interface IWaveAction : IWavePlanning
{
    /// <summary>One result per step, in the order given. A transient failure (throttling) is thrown: the steps are then done one by one.</summary>
    Task<IReadOnlyList<ApplyResult>> ApplyWaveAsync(IReadOnlyList<(StepContext Step, ActionPlan Plan)> work, CancellationToken cancellationToken);

    /// <summary>One verification per step, in the order given.</summary>
    Task<IReadOnlyList<VerifyResult>> VerifyWaveAsync(IReadOnlyList<(StepContext Step, ActionPlan Plan)> work, CancellationToken cancellationToken);
}
