using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Cases.CompromisedAccount;
using ResponseFunctions.Playbook.Graph;

namespace ResponseFunctions.Playbook.Release.CompromisedAccount;

/// <summary>The account's sign-in back on (accountEnabled=true).</summary>
public sealed record EnableAccountChange(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>
/// Release of 1.c — re-enable the account the containment disabled. Only when the journal shows the containment
/// disabled it (enabled before, disabled after) and the account is still disabled now: an account someone already
/// enabled again is left alone, and the plan says so.
/// </summary>
/// <remarks>Graph: PATCH /users/{id} accountEnabled=true (User.EnableDisableAccount.All), as 1.c.</remarks>
public sealed class ReenableAccount(GraphServiceClient graph, DirectoryReader directory) : IReleaseAction
{
    public ActionId Id { get; } = ActionId.Parse("1.c");

    public async Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken)
    {
        var now = UserState.Of(await directory.GetUserAsync(step.Target.Id, cancellationToken));
        var wasEnabled = OriginalStep.Property(original.Before, "accountEnabled")?.GetBoolean();
        var leftDisabled = OriginalStep.Property(original.After, "accountEnabled")?.GetBoolean() == false;
        var evidence = new List<Evidence>
        {
            new("Before the containment", $"accountEnabled={Text(wasEnabled)}"),
            new("After the containment", $"accountEnabled={(leftDisabled ? "false" : "unknown")}"),
            new("Now", $"accountEnabled={Text(now.AccountEnabled)}"),
            new("Containment entry", original.EntryId),
        };
        if (wasEnabled != true || !leftDisabled)
        {
            return Plans.NothingToDo(step.Step, $"{now.UserPrincipalName} was not enabled before the containment: nothing to restore.", evidence, Snapshot.Of(now));
        }

        if (now.AccountEnabled == true)
        {
            return Plans.NothingToDo(step.Step, $"{now.UserPrincipalName} was enabled again since the containment: left as it is.", evidence, Snapshot.Of(now),
                [$"Changed since the containment: accountEnabled is true now (the containment left it false). Nothing is overwritten."]);
        }

        return Plans.Change(step.Step, $"Re-enable {now.UserPrincipalName} (accountEnabled=true, as before the containment).", evidence,
            [new EnableAccountChange(now.Id, $"Re-enable the account {now.UserPrincipalName}")],
            now.IsSynced ? ["The account is synchronised from on-premises AD: enable it there too, or the next sync disables it again."] : null, Snapshot.Of(now));
    }

    public async Task<ApplyResult> ApplyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var before = UserState.Of(await directory.GetUserAsync(step.Target.Id, cancellationToken));
        var change = plan.Changes.Single();
        if (before.AccountEnabled == true)
        {
            return Results.From(step.Step, [new ChangeResult(change, ChangeOutcome.AlreadyDone)], "Account already enabled.", Snapshot.Of(before), Snapshot.Of(before));
        }

        await graph.Users[before.Id].PatchAsync(new User { AccountEnabled = true }, cancellationToken: cancellationToken);
        var after = UserState.Of(await directory.GetUserAsync(before.Id, cancellationToken));
        return Results.From(step.Step, [new ChangeResult(change, ChangeOutcome.Done)], $"{before.UserPrincipalName} enabled again.", Snapshot.Of(before), Snapshot.Of(after));
    }

    public async Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var user = UserState.Of(await directory.GetUserAsync(step.Target.Id, cancellationToken));
        return user.AccountEnabled == true
            ? Results.Verified(step.Step, "accountEnabled is true.")
            : Results.Mismatch(step.Step, "The account is still disabled.");
    }

    private static string Text(bool? value) => value?.ToString().ToLowerInvariant() ?? "unknown";
}
