using Microsoft.Graph;
using Microsoft.Graph.IdentityProtection.RiskyUsers.ConfirmCompromised;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>Confirm the user compromised in Identity Protection (its risk becomes high).</summary>
public sealed record ConfirmCompromisedChange(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>What 1.risk reads: the user's risk, or why Identity Protection could not be read (no P2 licence, 403).</summary>
public sealed record UserRisk(RiskyUser? Risky, ErrorInfo? Unavailable);

/// <summary>
/// 1.risk (a follow-up the playbook adds to the sheet) — Confirm the user compromised in Entra ID Protection, after
/// the containment, so user-risk policies force the legitimate user through remediation. Needs Entra ID P2: without
/// it (403) the step is reported as not done, and nothing else is affected.
/// </summary>
/// <remarks>Graph: GET /identityProtection/riskyUsers/{id}, POST /identityProtection/riskyUsers/confirmCompromised.
/// A wave's users are read with one list (<see cref="RiskOfWave"/>) and confirmed in one request, since Identity
/// Protection allows one request per second per tenant. Permissions: the catalog row.</remarks>
public sealed class ConfirmUserCompromised(GraphServiceClient graph, ChangeRunner runner, TimeProvider time) : ContainmentAction<UserRisk>(runner), IWaveAction
{
    /// <summary>Kept for every wave of this process: one list read answers the waves and phases asking within its freshness.</summary>
    private readonly RiskOfWave _risks = new(graph, time);

    public override ActionId Id { get; } = ActionId.Parse("1.risk");

    protected internal override async Task<UserRisk> ReadAsync(StepContext step, CancellationToken cancellationToken)
    {
        try
        {
            return new UserRisk(await graph.IdentityProtection.RiskyUsers[step.Target.Id].GetAsync(cancellationToken: cancellationToken), null);
        }
        catch (ODataError error) when (GraphErrors.IsNotFound(error))
        {
            return new UserRisk(null, null);
        }
        catch (ODataError error) when (error.ResponseStatusCode == 403)
        {
            return new UserRisk(null, GraphErrors.ToErrorInfo(error));
        }
    }

    protected override ActionPlan Plan(StepContext step, UserRisk risk, GuardVerdict verdict)
    {
        if (risk.Unavailable is { } error)
        {
            return Plans.Failed(step, error,
                "Identity Protection is not available (Entra ID P2 licence or IdentityRiskyUser.ReadWrite.All missing): the user is not marked compromised there.");
        }

        var risky = risk.Risky;
        Evidence[] evidence = [new("Identity Protection risk", risky is null ? "no risk recorded" : $"{risky.RiskLevel}, {risky.RiskState}, {risky.RiskDetail}")];
        return risky?.RiskState == RiskState.ConfirmedCompromised
            ? Plans.NothingToDo(step, $"{step.Target.Name} is already confirmed compromised.", evidence, Snapshot.Of(Journaled(risk)))
            : Plans.Change(step, $"Confirm {step.Target.Name} compromised in Identity Protection (risk becomes high).", evidence,
                [new ConfirmCompromisedChange(step.Target.Id, $"Confirm {step.Target.Name} compromised")], [], Snapshot.Of(Journaled(risk)));
    }

    protected internal override async Task<ChangeOutcome> ApplyChangeAsync(StepContext step, UserRisk before, PlannedChange change, CancellationToken cancellationToken)
    {
        if (before.Risky?.RiskState == RiskState.ConfirmedCompromised)
        {
            return ChangeOutcome.AlreadyDone;
        }

        await graph.IdentityProtection.RiskyUsers.ConfirmCompromised.PostAsync(
            new ConfirmCompromisedPostRequestBody { UserIds = [step.Target.Id] }, cancellationToken: cancellationToken);
        return ChangeOutcome.Done;
    }

    protected internal override string Summarize(StepContext step, UserRisk before, UserRisk after, IReadOnlyList<ChangeResult> results) =>
        results.Any(r => r.Outcome == ChangeOutcome.Failed)
            ? "Identity Protection refused (licence or permission): the user is not marked compromised there."
            : results.Any(r => r.Outcome == ChangeOutcome.Done) ? $"{step.Target.Name} confirmed compromised in Identity Protection." : "Already confirmed compromised.";

    protected internal override object? Journaled(UserRisk risk) =>
        risk.Risky is not { } risky ? null : new { riskLevel = risky.RiskLevel?.ToString(), riskState = risky.RiskState?.ToString(), riskDetail = risky.RiskDetail?.ToString() };

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var risky = (await ReadAsync(step, cancellationToken)).Risky;
        return risky?.RiskState == RiskState.ConfirmedCompromised
            ? Results.Verified(step, "riskState is confirmedCompromised.")
            : Results.Mismatch(step, $"riskState is {risky?.RiskState.ToString() ?? "none"}.");
    }

    public async Task<IReadOnlyList<ActionPlan>> PlanWaveAsync(IReadOnlyList<StepContext> steps, CancellationToken cancellationToken)
    {
        var verdicts = await GuardAsync(steps, cancellationToken);
        var risks = await ReadWaveAsync(steps.Where((_, i) => verdicts[i].Allowed), cancellationToken);
        return [.. steps.Select((step, i) => verdicts[i].Allowed ? Plan(step, risks[step.Target.Id], verdicts[i]) : Plans.Refused(step, verdicts[i]))];
    }

    /// <summary>
    /// Every step as <see cref="ChangeRunner.ApplyAsync"/> would do it (guard, before, its change, after), with one read
    /// of the wave before, one confirmCompromised per <see cref="RiskOfWave.MaxUsersPerConfirm"/> users, and one read after.
    /// The reads are <see cref="RiskOfWave"/>'s: the one before may be another wave's or the plan's (within its freshness);
    /// the one after is always sent after the confirm, and answers the verify.
    /// </summary>
    public async Task<IReadOnlyList<ApplyResult>> ApplyWaveAsync(IReadOnlyList<(StepContext Step, ActionPlan Plan)> work, CancellationToken cancellationToken)
    {
        var verdicts = await GuardAsync([.. work.Select(w => w.Step)], cancellationToken);
        var allowed = work.Where((_, i) => verdicts[i].Allowed).ToList();
        var before = await ReadWaveAsync(allowed.Select(w => w.Step), cancellationToken);
        var results = new Dictionary<StepContext, List<ChangeResult>>(ReferenceEqualityComparer.Instance);
        var toSend = new List<(StepContext Step, PlannedChange Change)>();
        foreach (var (step, plan) in allowed)
        {
            results[step] = [];
            foreach (var change in plan.Changes)
            {
                if (before[step.Target.Id].Risky?.RiskState == RiskState.ConfirmedCompromised)
                {
                    results[step].Add(new ChangeResult(change, ChangeOutcome.AlreadyDone));
                }
                else
                {
                    toSend.Add((step, change));
                }
            }
        }

        foreach (var chunk in toSend.Chunk(RiskOfWave.MaxUsersPerConfirm))
        {
            string[] ids = [.. chunk.Select(c => c.Step.Target.Id).Distinct(StringComparer.OrdinalIgnoreCase)];
            var sent = await _risks.WritingAsync(() => ChangeRunner.RunAsync(chunk[0].Change, async () =>
            {
                try
                {
                    await graph.IdentityProtection.RiskyUsers.ConfirmCompromised.PostAsync(
                        new ConfirmCompromisedPostRequestBody { UserIds = [.. ids] }, cancellationToken: cancellationToken);
                }
                finally
                {
                    // Whatever the answer: the kept reads no longer answer for these users (the read cache tells it too).
                    IdentityProtectionWrites.Record(ids);
                }

                return ChangeOutcome.Done;
            }));
            foreach (var (step, change) in chunk)
            {
                results[step].Add(sent with { Change = change });
            }
        }

        var after = toSend.Count == 0 ? before : await ReadWaveAsync(allowed.Select(w => w.Step), cancellationToken);
        return [.. work.Select((w, i) =>
        {
            if (!verdicts[i].Allowed)
            {
                return Results.Refused(w.Step, verdicts[i]);
            }

            var changes = results[w.Step];
            var (was, now) = (before[w.Step.Target.Id], changes.Any(c => c.Outcome is ChangeOutcome.Done or ChangeOutcome.Failed) ? after[w.Step.Target.Id] : before[w.Step.Target.Id]);
            return Results.From(w.Step, changes, Summarize(w.Step, was, now, changes), Snapshot.OfNullable(Journaled(was)), Snapshot.OfNullable(Journaled(now)));
        })];
    }

    public async Task<IReadOnlyList<VerifyResult>> VerifyWaveAsync(IReadOnlyList<(StepContext Step, ActionPlan Plan)> work, CancellationToken cancellationToken)
    {
        var risks = await ReadWaveAsync(work.Select(w => w.Step), cancellationToken);
        return [.. work.Select(w => risks[w.Step.Target.Id].Risky?.RiskState == RiskState.ConfirmedCompromised
            ? Results.Verified(w.Step, "riskState is confirmedCompromised.")
            : Results.Mismatch(w.Step, $"riskState is {risks[w.Step.Target.Id].Risky?.RiskState.ToString() ?? "none"}."))];
    }

    private async Task<GuardVerdict[]> GuardAsync(IReadOnlyList<StepContext> steps, CancellationToken cancellationToken)
    {
        var verdicts = new GuardVerdict[steps.Count];
        for (var i = 0; i < steps.Count; i++)
        {
            verdicts[i] = await Runner.CheckAsync(Descriptor.Guard, steps[i], null, cancellationToken);
        }

        return verdicts;
    }

    private Task<Dictionary<string, UserRisk>> ReadWaveAsync(IEnumerable<StepContext> steps, CancellationToken cancellationToken)
    {
        var list = steps.ToList();
        return _risks.ReadAsync([.. list.Select(s => s.Target.Id).Distinct(StringComparer.OrdinalIgnoreCase)],
            id => ReadAsync(list.First(s => string.Equals(s.Target.Id, id, StringComparison.OrdinalIgnoreCase)), cancellationToken), cancellationToken);
    }
}
