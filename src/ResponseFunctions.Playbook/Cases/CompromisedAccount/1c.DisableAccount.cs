using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>Set accountEnabled=false on the account.</summary>
public sealed record DisableAccountChange(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>1.c — Disable the account so no new token is issued to it. Reversible: the journal keeps accountEnabled=true.</summary>
/// <remarks>Graph: PATCH /users/{id} accountEnabled=false. Permissions and roles: the catalog row.</remarks>
public sealed class DisableAccount(GraphServiceClient graph, DirectoryReader directory, ChangeRunner runner) : ContainmentAction<UserState>(runner), IWavePlanning
{
    public override ActionId Id { get; } = ActionId.Parse("1.c");

    protected internal override async Task<UserState> ReadAsync(StepContext step, CancellationToken cancellationToken) =>
        UserState.Of(await directory.GetUserAsync(step.Target.Id, cancellationToken));

    /// <summary>The wave's users read together (<see cref="UserWave"/>), each step planned from its own user.</summary>
    public Task<IReadOnlyList<ActionPlan>> PlanWaveAsync(IReadOnlyList<StepContext> steps, CancellationToken cancellationToken) =>
        UserWave.PlanAsync(this, Runner, directory, steps, cancellationToken);

    protected override ActionPlan Plan(StepContext step, UserState user, GuardVerdict verdict)
    {
        var evidence = new List<Evidence>(verdict.Evidence) { new("Account enabled", user.AccountEnabled?.ToString() ?? "unknown") };
        if (user.AccountEnabled == false)
        {
            return Plans.NothingToDo(step, $"{user.UserPrincipalName} is already disabled.", evidence, Snapshot.Of(user), Warnings(user));
        }

        return Plans.Change(step, $"Disable {user.UserPrincipalName} (accountEnabled=false).", evidence,
            [new DisableAccountChange(user.Id, $"Disable the account {user.UserPrincipalName}")],
            Warnings(user), Snapshot.Of(user));
    }

    protected internal override async Task<ChangeOutcome> ApplyChangeAsync(StepContext step, UserState before, PlannedChange change, CancellationToken cancellationToken)
    {
        if (before.AccountEnabled == false)
        {
            return ChangeOutcome.AlreadyDone;
        }

        await graph.Users[before.Id].PatchAsync(new User { AccountEnabled = false }, cancellationToken: cancellationToken);
        return ChangeOutcome.Done;
    }

    protected internal override string Summarize(StepContext step, UserState before, UserState after, IReadOnlyList<ChangeResult> results) =>
        results.Any(r => r.Outcome == ChangeOutcome.Done)
            ? $"{before.UserPrincipalName} disabled."
            : results.Any(r => r.Outcome == ChangeOutcome.Failed) ? $"{before.UserPrincipalName} was not disabled." : "Account already disabled.";

    protected internal override IReadOnlyList<string> ApplyWarnings(ActionPlan plan, UserState before, IReadOnlyList<ChangeResult> results) =>
        results.Any(r => r.Outcome == ChangeOutcome.Done) ? Warnings(before) : [];

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var user = await ReadAsync(step, cancellationToken);
        return user.AccountEnabled == false
            ? Results.Verified(step, "accountEnabled is false.")
            : Results.Mismatch(step, "The account is enabled again.");
    }

    private static IReadOnlyList<string> Warnings(UserState user) => user.IsSynced
        ? ["The account is synchronised from on-premises AD: the next sync can enable it again. Disable it in AD too; the Conditional Access block of 1.e survives sync."]
        : [];
}
