using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>1.c — Disable the account so no new token is issued to it. Reversible: the journal keeps accountEnabled=true.</summary>
/// <remarks>Graph: PATCH /users/{id} accountEnabled=false. Needs User.EnableDisableAccount.All + User.Read.All
/// (Privileged Authentication Administrator role for admin targets).</remarks>
public sealed class DisableAccount(GraphServiceClient graph, DirectoryReader directory, TenantGuard guard) : IContainmentAction
{
    public ActionId Id { get; } = ActionId.Parse("1.c");

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var verdict = await guard.CheckGlobalAdministratorLossAsync(step.Target, step.Scope, cancellationToken);
        if (!verdict.Allowed)
        {
            return Plans.Refused(step, verdict);
        }

        var user = UserState.Of(await directory.GetUserAsync(step.Target.Id, cancellationToken));
        var evidence = new List<Evidence>(verdict.Evidence) { new("Account enabled", user.AccountEnabled?.ToString() ?? "unknown") };
        if (user.AccountEnabled == false)
        {
            return Plans.NothingToDo(step, $"{user.UserPrincipalName} is already disabled.", evidence, Snapshot.Of(user), Warnings(user));
        }

        return Plans.Change(step, $"Disable {user.UserPrincipalName} (accountEnabled=false).", evidence,
            [new PlannedChange("disable-account", user.Id, $"Disable the account {user.UserPrincipalName}")],
            Warnings(user), Snapshot.Of(user));
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
        if (before.AccountEnabled == false)
        {
            return Results.From(step, [new ChangeResult(change, ChangeOutcome.AlreadyDone)], "Account already disabled.", Snapshot.Of(before), Snapshot.Of(before));
        }

        await graph.Users[before.Id].PatchAsync(new User { AccountEnabled = false }, cancellationToken: cancellationToken);
        var after = UserState.Of(await directory.GetUserAsync(before.Id, cancellationToken));
        return Results.From(step, [new ChangeResult(change, ChangeOutcome.Done)], $"{before.UserPrincipalName} disabled.",
            Snapshot.Of(before), Snapshot.Of(after), Warnings(before));
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var user = UserState.Of(await directory.GetUserAsync(step.Target.Id, cancellationToken));
        return user.AccountEnabled == false
            ? Results.Verified(step, "accountEnabled is false.")
            : Results.Mismatch(step, "The account is enabled again.");
    }

    private static IReadOnlyList<string> Warnings(UserState user) => user.IsSynced
        ? ["The account is synchronised from on-premises AD: the next sync can enable it again. Disable it in AD too; the Conditional Access block of 1.e survives sync."]
        : [];
}
