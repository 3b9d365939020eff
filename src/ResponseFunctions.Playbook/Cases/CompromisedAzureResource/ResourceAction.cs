using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.AzureResources;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

/// <summary>
/// The frame both Case 3 actions share: the guard (protected resources), the resource read through ARM, the handler of its
/// type, each planned change run on its own (<see cref="Results.RunChangeAsync"/>). A type no handler takes is planned as
/// a manual step with the sheet's instruction, never skipped.
/// </summary>
public abstract class ResourceAction<THandler>(ArmResources arm, TenantGuard guard, IEnumerable<THandler> handlers) : IContainmentAction
    where THandler : IResourceHandler
{
    public abstract ActionId Id { get; }

    /// <summary>What a person does for a type the playbook does not handle (the sheet's words).</summary>
    protected abstract string ManualInstruction(string resourceType);

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var verdict = guard.CheckResource(step.Target);
        if (!verdict.Allowed)
        {
            return Plans.Refused(step, verdict);
        }

        // A type no handler takes is not even read: ARM would need its api-version, and the plan is a person's job anyway.
        var type = ResourceTypes.Of(step.Target.Id);
        if (HandlerFor(type) is not { } handler)
        {
            return new ActionPlan(step.Action, step.Target, PlanStatus.NotBuilt, $"Manual: {ManualInstruction(type)}", [new Evidence("Resource type", type)], [], []);
        }

        if (await arm.FindAsync(step.Target.Id, cancellationToken) is not { } resource)
        {
            return Plans.Failed(step, new ErrorInfo(ErrorKind.NotFound, "ResourceNotFound", $"{step.Target.Id} does not exist (or the playbook cannot read it)."),
                $"{step.Target.Name} was not found in Azure Resource Manager: nothing to contain, or a missing Reader role.");
        }

        return await handler.PlanAsync(step, resource, cancellationToken);
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var verdict = guard.CheckResource(step.Target);
        if (!verdict.Allowed)
        {
            return Results.Refused(step, verdict);
        }

        var handler = HandlerFor(ResourceTypes.Of(step.Target.Id))
            ?? throw new InvalidOperationException($"No handler for {step.Target.Id}: its plan was manual and has nothing to apply.");
        var changes = new List<ChangeResult>();
        foreach (var change in plan.Changes)
        {
            changes.Add(await Results.RunChangeAsync(change, () => handler.ApplyAsync(step, change, cancellationToken)));
        }

        var after = await handler.StateAsync(step, cancellationToken);
        var done = changes.Count(c => c.Outcome == ChangeOutcome.Done);
        return Results.From(step, changes, $"{done} of {changes.Count} change(s) made on {step.Target.Name}.", plan.Before, after,
            [.. plan.Warnings.Where(w => w.StartsWith(ManualTask.Prefix, StringComparison.Ordinal))]);
    }

    public Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken) =>
        HandlerFor(ResourceTypes.Of(step.Target.Id)) is { } handler
            ? handler.VerifyAsync(step, plan, cancellationToken)
            : Task.FromResult(Results.Mismatch(step, "No handler for this resource type: verify by hand."));

    private THandler? HandlerFor(string type) => handlers.FirstOrDefault(h => h.Handles(type));
}

/// <summary>Credentials and steps the playbook cannot do itself: a warning that names what and where, journaled with the plan and the apply.</summary>
public static class ManualTask
{
    public const string Prefix = "Manual task: ";

    public static string Of(string what) => Prefix + what;
}
