using Microsoft.Graph;
using Microsoft.Graph.IdentityProtection.RiskyUsers.ConfirmCompromised;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>
/// 1.risk (a follow-up the playbook adds to the sheet) — Confirm the user compromised in Entra ID Protection, after
/// the containment, so user-risk policies force the legitimate user through remediation. Needs Entra ID P2: without
/// it (403) the step is reported as not done, and nothing else is affected.
/// </summary>
/// <remarks>Graph: GET /identityProtection/riskyUsers/{id}, POST /identityProtection/riskyUsers/confirmCompromised.
/// Needs IdentityRiskyUser.ReadWrite.All.</remarks>
public sealed class ConfirmUserCompromised(GraphServiceClient graph, TenantGuard guard) : IContainmentAction
{
    public ActionId Id { get; } = ActionId.Parse("1.risk");

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var verdict = guard.CheckPrincipal(step.Target);
        if (!verdict.Allowed)
        {
            return Plans.Refused(step, verdict);
        }

        RiskyUser? risky;
        try
        {
            risky = await FindAsync(step.Target.Id, cancellationToken);
        }
        catch (ODataError error) when (error.ResponseStatusCode == 403)
        {
            return Plans.Failed(step, GraphErrors.ToErrorInfo(error),
                "Identity Protection is not available (Entra ID P2 licence or IdentityRiskyUser.ReadWrite.All missing): the user is not marked compromised there.");
        }

        Evidence[] evidence = [new("Identity Protection risk", risky is null ? "no risk recorded" : $"{risky.RiskLevel}, {risky.RiskState}, {risky.RiskDetail}")];
        return risky?.RiskState == RiskState.ConfirmedCompromised
            ? Plans.NothingToDo(step, $"{step.Target.Name} is already confirmed compromised.", evidence, Snapshot.Of(Describe(risky)))
            : Plans.Change(step, $"Confirm {step.Target.Name} compromised in Identity Protection (risk becomes high).", evidence,
                [new PlannedChange("confirm-compromised", step.Target.Id, $"Confirm {step.Target.Name} compromised")], [], Snapshot.Of(Describe(risky)));
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var verdict = guard.CheckPrincipal(step.Target);
        if (!verdict.Allowed)
        {
            return Results.Refused(step, verdict);
        }

        var change = plan.Changes.Single();
        try
        {
            var before = await FindAsync(step.Target.Id, cancellationToken);
            if (before?.RiskState == RiskState.ConfirmedCompromised)
            {
                return Results.From(step, [new ChangeResult(change, ChangeOutcome.AlreadyDone)], "Already confirmed compromised.",
                    Snapshot.Of(Describe(before)), Snapshot.Of(Describe(before)));
            }

            await graph.IdentityProtection.RiskyUsers.ConfirmCompromised.PostAsync(
                new ConfirmCompromisedPostRequestBody { UserIds = [step.Target.Id] }, cancellationToken: cancellationToken);
            var after = await FindAsync(step.Target.Id, cancellationToken);
            return Results.From(step, [new ChangeResult(change, ChangeOutcome.Done)], $"{step.Target.Name} confirmed compromised in Identity Protection.",
                Snapshot.Of(Describe(before)), Snapshot.Of(Describe(after)));
        }
        catch (ODataError error) when (error.ResponseStatusCode == 403)
        {
            return Results.From(step, [new ChangeResult(change, ChangeOutcome.Failed, GraphErrors.ToErrorInfo(error))],
                "Identity Protection refused (licence or permission): the user is not marked compromised there.", null, null);
        }
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var risky = await FindAsync(step.Target.Id, cancellationToken);
        return risky?.RiskState == RiskState.ConfirmedCompromised
            ? Results.Verified(step, "riskState is confirmedCompromised.")
            : Results.Mismatch(step, $"riskState is {risky?.RiskState.ToString() ?? "none"}.");
    }

    private async Task<RiskyUser?> FindAsync(string userId, CancellationToken cancellationToken)
    {
        try
        {
            return await graph.IdentityProtection.RiskyUsers[userId].GetAsync(cancellationToken: cancellationToken);
        }
        catch (ODataError error) when (GraphErrors.IsNotFound(error))
        {
            return null;
        }
    }

    private static object? Describe(RiskyUser? risky) =>
        risky is null ? null : new { riskLevel = risky.RiskLevel?.ToString(), riskState = risky.RiskState?.ToString(), riskDetail = risky.RiskDetail?.ToString() };
}
