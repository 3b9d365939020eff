using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>
/// 1.a — Reset the compromised account's password to a strong random value and force a change at next sign-in.
/// The password exists only inside <see cref="ApplyAsync"/>: it is sent to Graph and discarded, never returned,
/// logged or journaled; the user recovers through the helpdesk. Done once per incident: a password changed since
/// the incident opened is not reset again.
/// </summary>
/// <remarks>Graph: PATCH /users/{id} passwordProfile. Needs User-PasswordProfile.ReadWrite.All and the User
/// Administrator role (Privileged Authentication Administrator for admin targets).</remarks>
public sealed class ResetPassword(
    GraphServiceClient graph, DirectoryReader directory, TenantGuard guard, IPasswordGenerator passwords, IOptions<ContainmentPolicy> policy)
    : IContainmentAction
{
    public ActionId Id { get; } = ActionId.Parse("1.a");

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var verdict = await guard.CheckGlobalAdministratorLossAsync(step.Target, step.Scope, cancellationToken);
        if (!verdict.Allowed)
        {
            return Plans.Refused(step, verdict);
        }

        var user = UserState.Of(await directory.GetUserAsync(step.Target.Id, cancellationToken));
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
            [new PlannedChange("reset-password", user.Id, $"Reset the password of {user.UserPrincipalName} (forced change at next sign-in)")],
            Warnings(user),
            Snapshot.Of(user));
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var verdict = await guard.CheckGlobalAdministratorLossAsync(step.Target, step.Scope, cancellationToken);
        if (!verdict.Allowed)
        {
            return Results.Refused(step, verdict);
        }

        var before = UserState.Of(await directory.GetUserAsync(step.Target.Id, cancellationToken));
        var change = plan.Changes.Single();
        if (ResetDuringIncident(before, step))
        {
            return Results.From(step, [new ChangeResult(change, ChangeOutcome.AlreadyDone)], "Password already changed since the incident opened.",
                Snapshot.Of(before), Snapshot.Of(before));
        }

        await graph.Users[before.Id].PatchAsync(
            new User
            {
                PasswordProfile = new PasswordProfile { Password = passwords.Generate(), ForceChangePasswordNextSignIn = true },
            },
            cancellationToken: cancellationToken);

        var after = UserState.Of(await directory.GetUserAsync(before.Id, cancellationToken));
        return Results.From(step, [new ChangeResult(change, ChangeOutcome.Done)],
            $"Password of {before.UserPrincipalName} reset, change forced at next sign-in. {DeliveryNote}",
            Snapshot.Of(before), Snapshot.Of(after), Warnings(before));
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var user = UserState.Of(await directory.GetUserAsync(step.Target.Id, cancellationToken));
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
