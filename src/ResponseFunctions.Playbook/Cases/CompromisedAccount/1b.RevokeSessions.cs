using Microsoft.Graph;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>
/// 1.b — Revoke every refresh token and session cookie of the account, once per incident (sessions already
/// revoked since the incident opened are left alone). Access tokens already issued stay valid until they expire.
/// </summary>
/// <remarks>Graph: POST /users/{id}/revokeSignInSessions. Needs User.RevokeSessions.All.</remarks>
public sealed class RevokeSessions(GraphServiceClient graph, DirectoryReader directory, TenantGuard guard) : IContainmentAction
{
    public const string TokenLifetimeCaveat =
        "Access tokens issued before the revocation stay valid until they expire (typically 60 to 90 minutes) unless the resource supports Continuous Access Evaluation.";

    public ActionId Id { get; } = ActionId.Parse("1.b");

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var verdict = guard.CheckPrincipal(step.Target);
        if (!verdict.Allowed)
        {
            return Plans.Refused(step, verdict);
        }

        var user = UserState.Of(await directory.GetUserAsync(step.Target.Id, cancellationToken));
        Evidence[] evidence = [new("Sessions valid from", user.SignInSessionsValidFrom?.ToString("u") ?? "never revoked")];
        if (RevokedDuringIncident(user, step))
        {
            return Plans.NothingToDo(step, $"The sessions of {user.UserPrincipalName} were already revoked since the incident opened.", evidence, Snapshot.Of(user));
        }

        return Plans.Change(step, $"Revoke every refresh token and session cookie of {user.UserPrincipalName}.", evidence,
            [new PlannedChange("revoke-sessions", user.Id, $"Revoke the sign-in sessions of {user.UserPrincipalName}")],
            [TokenLifetimeCaveat], Snapshot.Of(user));
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var verdict = guard.CheckPrincipal(step.Target);
        if (!verdict.Allowed)
        {
            return Results.Refused(step, verdict);
        }

        var before = UserState.Of(await directory.GetUserAsync(step.Target.Id, cancellationToken));
        var change = plan.Changes.Single();
        if (RevokedDuringIncident(before, step))
        {
            return Results.From(step, [new ChangeResult(change, ChangeOutcome.AlreadyDone)], "Sessions already revoked since the incident opened.",
                Snapshot.Of(before), Snapshot.Of(before));
        }

        await graph.Users[before.Id].RevokeSignInSessions.PostAsRevokeSignInSessionsPostResponseAsync(cancellationToken: cancellationToken);
        var after = UserState.Of(await directory.GetUserAsync(before.Id, cancellationToken));
        return Results.From(step, [new ChangeResult(change, ChangeOutcome.Done)], $"Sign-in sessions of {before.UserPrincipalName} revoked.",
            Snapshot.Of(before), Snapshot.Of(after), [TokenLifetimeCaveat]);
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var user = UserState.Of(await directory.GetUserAsync(step.Target.Id, cancellationToken));
        return RevokedDuringIncident(user, step)
            ? Results.Verified(step, $"Sessions valid only from {user.SignInSessionsValidFrom:u}.")
            : Results.Mismatch(step, $"Sessions still valid from {user.SignInSessionsValidFrom:u}, before the incident opened.");
    }

    private static bool RevokedDuringIncident(UserState user, StepContext step) => step.Scope.IsSinceOpened(user.SignInSessionsValidFrom);
}
