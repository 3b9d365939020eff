using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// Steps of an action the service lets do many targets in one request (<see cref="IWaveAction"/>): planned, applied
/// and verified together, each step journaled exactly as a step of its own is (plan; intent before any change; apply;
/// verify). A failure the wave could not handle leaves its steps to be done one by one, with the engine's retry.
/// </summary>
public sealed partial class ContainmentActivities
{
    /// <summary>Plans the batch's steps of wave-planned actions (<see cref="IWavePlanning"/>) together (filling <paramref name="plans"/>); returns the indexes left to plan one by one.</summary>
    private async Task<List<int>> PlanWaveActionsAsync(StepBatch batch, ActionPlan?[] plans, CancellationToken cancellationToken)
    {
        var alone = new List<int>();
        var groups = Enumerable.Range(0, batch.Steps.Count).GroupBy(i => batch.Steps[i].Action);
        foreach (var group in groups)
        {
            List<int> indexes = [.. group];
            if (indexes.Count < 2 || actions.Get(group.Key) is not IWavePlanning wave)
            {
                alone.AddRange(indexes);
                continue;
            }

            var steps = new List<StepContext>();
            foreach (var i in indexes)
            {
                steps.Add(await scopes.AttachAsync(batch.Steps[i], cancellationToken));
            }

            IReadOnlyList<ActionPlan> planned;
            try
            {
                planned = await WaveCallAsync(
                    () => wave.PlanWaveAsync(steps, cancellationToken),
                    error => [.. steps.Select(s => Plans.Failed(s, error, $"Planning failed: {error.Message}"))]);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogBatchStepDeferred("plan", steps[0].Index, ex.GetType().Name);
                alone.AddRange(indexes);
                continue;
            }

            for (var k = 0; k < steps.Count; k++)
            {
                using var span = StepSpan("plan", steps[k]);
                await JournalPlanAsync(steps[k], planned[k], span, cancellationToken);
                plans[indexes[k]] = planned[k];
            }
        }

        alone.Sort();
        return alone;
    }

    /// <summary>Attempts at a wave's request before its steps are left to be done one by one.</summary>
    private const int WaveAttempts = 3;

    /// <summary>
    /// A wave's call, attempted again while it fails as transient: a throttled wave waits for its quota's turn (the
    /// <see cref="Throttling.ThrottleGate"/> holds every caller of the quota) and goes again whole. Done step by step
    /// instead, a wave of 50 becomes 150 requests on a quota of one per second (Identity Protection): what kept a
    /// 1,000-account run from finishing.
    /// </summary>
    private static async Task<T> WaveCallAsync<T>(Func<Task<T>> call, Func<ErrorInfo, T> failed)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await GraphCallAsync(call, failed);
            }
            catch (TransientFailureException) when (attempt < WaveAttempts)
            {
            }
        }
    }

    /// <summary>The wave action every step of the batch is a step of, when there are several steps and no tenant-wide lock to take.</summary>
    private IWaveAction? WaveActionOf(IReadOnlyList<StepWork> work) =>
        work.Count > 1 && work.All(w => w.Step.Action == work[0].Step.Action) && !GlobalAdministratorChanges.Contains(work[0].Step.Action.Value)
            ? actions.Get(work[0].Step.Action) as IWaveAction
            : null;

    private async Task<IReadOnlyList<StepOutcome>> ApplyAndVerifyWaveAsync(IWaveAction wave, WorkBatch batch, CancellationToken cancellationToken)
    {
        var work = new List<(StepContext Step, ActionPlan Plan)>();
        foreach (var item in batch.Work)
        {
            work.Add((await scopes.AttachAsync(item.Step, cancellationToken), item.Plan));
        }

        // Intent before change, for every step, before the wave's one request changes any of them.
        var earlier = new Journal.JournalEntry?[work.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, work.Count), Batched(batch.Parallel, cancellationToken),
            async (i, ct) => earlier[i] = await JournalIntentAsync(work[i].Step, work[i].Plan, ct));

        IReadOnlyList<ApplyResult> applied;
        try
        {
            applied = await WaveCallAsync(
                () => wave.ApplyWaveAsync(work, cancellationToken),
                error => [.. work.Select(w => new ApplyResult(w.Step.Action, w.Step.Target, ApplyOutcome.Failed, $"Apply failed: {error.Message}", [], []) { Error = error })]);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogBatchStepDeferred("apply", work[0].Step.Index, ex.GetType().Name);
            return [.. work.Select(w => new StepOutcome(w.Step.Index, null, null, Retry: true))];
        }

        var results = new ApplyResult[work.Count];
        for (var i = 0; i < work.Count; i++)
        {
            using var span = StepSpan("apply", work[i].Step);
            results[i] = RecogniseEarlierAttempt(applied[i], earlier[i]);
            await JournalApplyAsync(work[i].Step, results[i], span, cancellationToken);
        }

        var toVerify = Enumerable.Range(0, work.Count)
            .Where(i => results[i].Outcome is ApplyOutcome.Applied or ApplyOutcome.AlreadyInPlace or ApplyOutcome.PartiallyApplied).ToList();
        var verified = new VerifyResult?[work.Count];
        if (toVerify.Count > 0)
        {
            try
            {
                List<(StepContext Step, ActionPlan Plan)> verifying = [.. toVerify.Select(i => work[i])];
                var checkedResults = await WaveCallAsync(
                    () => wave.VerifyWaveAsync(verifying, cancellationToken),
                    error => [.. verifying.Select(w => new VerifyResult(w.Step.Action, w.Step.Target, VerifyOutcome.Failed, $"Verification failed: {error.Message}"))]);
                for (var k = 0; k < toVerify.Count; k++)
                {
                    var i = toVerify[k];
                    using var span = StepSpan("verify", work[i].Step);
                    await JournalVerifyAsync(work[i].Step, checkedResults[k], span, cancellationToken);
                    verified[i] = checkedResults[k];
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Verified one by one by the orchestrator.
                LogBatchStepDeferred("verify", work[toVerify[0]].Step.Index, ex.GetType().Name);
            }
        }

        return [.. work.Select((w, i) => new StepOutcome(w.Step.Index, results[i], verified[i], Retry: false))];
    }
}
