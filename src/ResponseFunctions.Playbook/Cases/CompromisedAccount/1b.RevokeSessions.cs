using Microsoft.Graph;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>Revoke every refresh token and session cookie of the account.</summary>
public sealed record RevokeSessionsChange(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>
/// 1.b — Revoke every refresh token and session cookie of the account, once per incident (sessions already
/// revoked since the incident opened are left alone). Access tokens already issued stay valid until they expire.
/// </summary>
/// <remarks>Graph: POST /users/{id}/revokeSignInSessions. Permissions: the catalog row.</remarks>
public sealed class RevokeSessions(GraphServiceClient graph, DirectoryReader directory, ChangeRunner runner) : ContainmentAction<UserState>(runner), IWavePlanning
{
    public const string TokenLifetimeCaveat =
        "Access tokens issued before the revocation stay valid until they expire (typically 60 to 90 minutes) unless the resource supports Continuous Access Evaluation.";

    public override ActionId Id { get; } = ActionId.Parse("1.b");

    protected internal override async Task<UserState> ReadAsync(StepContext step, CancellationToken cancellationToken) =>
        UserState.Of(await directory.GetUserAsync(step.Target.Id, cancellationToken));

    /// <summary>The wave's users read together (<see cref="UserWave"/>), each step planned from its own user.</summary>
    public Task<IReadOnlyList<ActionPlan>> PlanWaveAsync(IReadOnlyList<StepContext> steps, CancellationToken cancellationToken) =>
        UserWave.PlanAsync(this, Runner, directory, steps, cancellationToken);

    protected override ActionPlan Plan(StepContext step, UserState user, GuardVerdict verdict)
    {
        Evidence[] evidence = [new("Sessions valid from", user.SignInSessionsValidFrom?.ToString("u") ?? "never revoked")];
        if (RevokedDuringIncident(user, step))
        {
            return Plans.NothingToDo(step, $"The sessions of {user.UserPrincipalName} were already revoked since the incident opened.", evidence, Snapshot.Of(user));
        }

        return Plans.Change(step, $"Revoke every refresh token and session cookie of {user.UserPrincipalName}.", evidence,
            [new RevokeSessionsChange(user.Id, $"Revoke the sign-in sessions of {user.UserPrincipalName}")],
            [TokenLifetimeCaveat], Snapshot.Of(user));
    }

    protected internal override async Task<ChangeOutcome> ApplyChangeAsync(StepContext step, UserState before, PlannedChange change, CancellationToken cancellationToken)
    {
        if (RevokedDuringIncident(before, step))
        {
            return ChangeOutcome.AlreadyDone;
        }

        await graph.Users[before.Id].RevokeSignInSessions.PostAsRevokeSignInSessionsPostResponseAsync(cancellationToken: cancellationToken);
        return ChangeOutcome.Done;
    }

    protected internal override string Summarize(StepContext step, UserState before, UserState after, IReadOnlyList<ChangeResult> results) =>
        results.Any(r => r.Outcome == ChangeOutcome.Done)
            ? $"Sign-in sessions of {before.UserPrincipalName} revoked."
            : results.Any(r => r.Outcome == ChangeOutcome.Failed) ? $"The sessions of {before.UserPrincipalName} were not revoked." : "Sessions already revoked since the incident opened.";

    protected internal override IReadOnlyList<string> ApplyWarnings(ActionPlan plan, UserState before, IReadOnlyList<ChangeResult> results) =>
        results.Any(r => r.Outcome == ChangeOutcome.Done) ? [TokenLifetimeCaveat] : [];

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var user = await ReadAsync(step, cancellationToken);
        return RevokedDuringIncident(user, step)
            ? Results.Verified(step, $"Sessions valid only from {user.SignInSessionsValidFrom:u}.")
            : Results.Mismatch(step, $"Sessions still valid from {user.SignInSessionsValidFrom:u}, before the incident opened.");
    }

    private static bool RevokedDuringIncident(UserState user, StepContext step) => step.Scope.IsSinceOpened(user.SignInSessionsValidFrom);
}
