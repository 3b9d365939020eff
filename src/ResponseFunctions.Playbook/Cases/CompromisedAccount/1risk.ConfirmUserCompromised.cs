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
/// Permissions: the catalog row.</remarks>
public sealed class ConfirmUserCompromised(GraphServiceClient graph, ChangeRunner runner) : ContainmentAction<UserRisk>(runner)
{
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
}
