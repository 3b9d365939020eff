using System.Text.Json.Serialization;
using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// Steps of one wave done in one activity, <paramref name="Parallel"/> at a time: one activity per action and wave
/// instead of one per step, so the engine's cost per step stays small however many targets a wave holds.
/// </summary>
public sealed record StepBatch([property: JsonConverter(typeof(StepTableJsonConverter))] IReadOnlyList<StepContext> Steps, int Parallel);

/// <summary>Approved steps (with the plans their approvers saw) applied and verified in one activity.</summary>
public sealed record WorkBatch(IReadOnlyList<StepWork> Work, int Parallel)
{
    /// <summary>Decisions to journal before any of these steps changes anything (the policy's, made in the orchestration).</summary>
    public IReadOnlyList<Journal.JournalEntry> Decisions { get; init; } = [];
}

/// <summary>
/// One step's apply and verify, done in a batch. <see cref="Retry"/>: the apply did not complete (a transient error,
/// or anything unexpected), so the step is done again alone, with the engine's retry; <see cref="Verified"/> null after
/// an apply: verify it alone.
/// </summary>
public sealed record StepOutcome(int StepIndex, ApplyResult? Applied, VerifyResult? Verified, bool Retry);

/// <summary>
/// Several actions' batches applied one after the other, in this order, by one activity; it stops after a batch some
/// of whose steps it could not apply, and returns the outcomes of the batches it did.
/// </summary>
public sealed record WorkInOrder(IReadOnlyList<WorkBatch> Batches);
