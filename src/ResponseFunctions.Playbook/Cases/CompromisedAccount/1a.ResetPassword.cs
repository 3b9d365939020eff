using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>Set a random password on the account, change forced at next sign-in. The password is never in the change.</summary>
public sealed record ResetPasswordChange(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>
/// 1.a — Reset the compromised account's password to a strong random value and force a change at next sign-in.
/// The password exists only inside <see cref="ApplyChangeAsync"/>: it is sent to Graph and discarded, never returned,
/// logged or journaled; the user recovers through the helpdesk. Done once per incident: a password changed since
/// the incident opened is not reset again.
/// </summary>
/// <remarks>Graph: PATCH /users/{id} passwordProfile. Permissions and roles: the catalog row.</remarks>
public sealed class ResetPassword(
    GraphServiceClient graph, DirectoryReader directory, ChangeRunner runner, IPasswordGenerator passwords, IOptions<ContainmentPolicy> policy)
    : ContainmentAction<UserState>(runner), IWavePlanning
{
    public override ActionId Id { get; } = ActionId.Parse("1.a");

    protected internal override async Task<UserState> ReadAsync(StepContext step, CancellationToken cancellationToken) =>
        UserState.Of(await directory.GetUserAsync(step.Target.Id, cancellationToken));

    /// <summary>The wave's users read together (<see cref="UserWave"/>), each step planned from its own user.</summary>
    public Task<IReadOnlyList<ActionPlan>> PlanWaveAsync(IReadOnlyList<StepContext> steps, CancellationToken cancellationToken) =>
        UserWave.PlanAsync(this, Runner, directory, steps, cancellationToken);

    protected override ActionPlan Plan(StepContext step, UserState user, GuardVerdict verdict)
    {
        var evidence = new List<Evidence>(verdict.Evidence)
        {
            new("Last password change", user.LastPasswordChange?.ToString("u") ?? "unknown"),
            new("Incident opened", step.Scope.OpenedAt.ToString("u")),
        };
        if (ResetDuringIncident(user, step))
        {
            return Plans.NothingToDo(step, $"The password of {user.UserPrincipalName} was already changed since the incident opened.", evidence, Snapshot.Of(user));
        }

        return Plans.Change(
            step,
            $"Set a random 24-character password on {user.UserPrincipalName} and force a change at next sign-in. {DeliveryNote}",
            evidence,
            [new ResetPasswordChange(user.Id, $"Reset the password of {user.UserPrincipalName} (forced change at next sign-in)")],
            Warnings(user),
            Snapshot.Of(user));
    }

    protected internal override async Task<ChangeOutcome> ApplyChangeAsync(StepContext step, UserState before, PlannedChange change, CancellationToken cancellationToken)
    {
        if (ResetDuringIncident(before, step))
        {
            return ChangeOutcome.AlreadyDone;
        }

        await graph.Users[before.Id].PatchAsync(
            new User { PasswordProfile = new PasswordProfile { Password = passwords.Generate(), ForceChangePasswordNextSignIn = true } },
            cancellationToken: cancellationToken);
        return ChangeOutcome.Done;
    }

    protected internal override string Summarize(StepContext step, UserState before, UserState after, IReadOnlyList<ChangeResult> results) =>
        results.Any(r => r.Outcome == ChangeOutcome.Done)
            ? $"Password of {before.UserPrincipalName} reset, change forced at next sign-in. {DeliveryNote}"
            : results.Any(r => r.Outcome == ChangeOutcome.Failed) ? $"The password of {before.UserPrincipalName} was not reset." : "Password already changed since the incident opened.";

    protected internal override IReadOnlyList<string> ApplyWarnings(ActionPlan plan, UserState before, IReadOnlyList<ChangeResult> results) =>
        results.Any(r => r.Outcome == ChangeOutcome.Done) ? Warnings(before) : [];

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var user = await ReadAsync(step, cancellationToken);
        return ResetDuringIncident(user, step)
            ? Results.Verified(step, $"Password last changed {user.LastPasswordChange:u}, after the incident opened.")
            : Results.Mismatch(step, $"Password last changed {user.LastPasswordChange:u}, before the incident opened at {step.Scope.OpenedAt:u}.");
    }

    private string DeliveryNote => policy.Value.PasswordDelivery switch
    {
        PasswordDelivery.Discard => "The password is discarded unseen: the user recovers access through the helpdesk (identity checked, temporary access pass or new password).",
        _ => throw new InvalidOperationException($"Unknown password delivery {policy.Value.PasswordDelivery}."),
    };

    private static bool ResetDuringIncident(UserState user, StepContext step) => step.Scope.IsSinceOpened(user.LastPasswordChange);

    private static IReadOnlyList<string> Warnings(UserState user) => user.IsSynced
        ? ["The account is synchronised from on-premises AD: reset its password in AD as well; without password writeback the next sync can restore the attacker-known password."]
        : [];
}
