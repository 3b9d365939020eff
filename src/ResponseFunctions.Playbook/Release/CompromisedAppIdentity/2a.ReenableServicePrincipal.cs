using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;

namespace ResponseFunctions.Playbook.Release.CompromisedAppIdentity;

/// <summary>The service principal's sign-in back on (accountEnabled=true).</summary>
public sealed record EnableServicePrincipalChange(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>
/// Release of 2.a — re-enable the service principal's sign-in. Only when the journal shows the containment disabled it
/// (enabled before, disabled after) and it is still disabled: one enabled again since is left alone, and the plan says so.
/// </summary>
/// <remarks>Graph: PATCH /servicePrincipals/{id} accountEnabled=true (Application.ReadWrite.All), as 2.a.</remarks>
public sealed class ReenableServicePrincipal(GraphServiceClient graph, ApplicationDirectory apps) : IReleaseAction
{
    public ActionId Id { get; } = ActionId.Parse("2.a");

    public async Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken)
    {
        var id = ObjectId(step, original);
        var now = await apps.GetServicePrincipalAsync(id, cancellationToken);
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
            return Plans.NothingToDo(step.Step, $"{now.DisplayName} was not enabled before the containment: nothing to restore.", evidence);
        }

        if (now.AccountEnabled == true)
        {
            return Plans.NothingToDo(step.Step, $"{now.DisplayName} was enabled again since the containment: left as it is.", evidence, null,
                ["Changed since the containment: accountEnabled is true now (the containment left it false). Nothing is overwritten."]);
        }

        return Plans.Change(step.Step, $"Re-enable sign-in of {now.DisplayName} (accountEnabled=true, as before the containment).", evidence,
            [new EnableServicePrincipalChange(id, $"Re-enable the service principal {now.DisplayName} ({now.AppId})")]);
    }

    public async Task<ApplyResult> ApplyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var id = ObjectId(step, original);
        var before = await apps.GetServicePrincipalAsync(id, cancellationToken);
        var change = plan.Changes.Single();
        if (before.AccountEnabled == true)
        {
            return Results.From(step.Step, [new ChangeResult(change, ChangeOutcome.AlreadyDone)], "Already enabled.", Describe(before), Describe(before));
        }

        await graph.ServicePrincipals[id].PatchAsync(new ServicePrincipal { AccountEnabled = true }, cancellationToken: cancellationToken);
        var after = await apps.GetServicePrincipalAsync(id, cancellationToken);
        return Results.From(step.Step, [new ChangeResult(change, ChangeOutcome.Done)], $"{before.DisplayName} can sign in again.", Describe(before), Describe(after));
    }

    public async Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken) =>
        (await apps.GetServicePrincipalAsync(ObjectId(step, original), cancellationToken)).AccountEnabled == true
            ? Results.Verified(step.Step, "accountEnabled is true.")
            : Results.Mismatch(step.Step, "The service principal is still disabled.");

    /// <summary>The object id 2.a journaled (the step's target names the application too).</summary>
    private static string ObjectId(ReleaseStep step, OriginalStep original) => OriginalStep.Property(original.Before, "id")?.GetString() ?? step.Target.Id;

    private static System.Text.Json.JsonElement Describe(ServicePrincipal sp) =>
        Snapshot.Of(new { id = sp.Id, appId = sp.AppId, displayName = sp.DisplayName, accountEnabled = sp.AccountEnabled });

    private static string Text(bool? value) => value?.ToString().ToLowerInvariant() ?? "unknown";
}
