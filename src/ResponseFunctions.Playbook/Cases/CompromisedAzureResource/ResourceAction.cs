using System.Text.Json;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.AzureResources;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

/// <summary>What a Case 3 action knows of its resource: its type, the handler of that type, the resource as ARM returned it, the journaled state.</summary>
public sealed record ResourceState<THandler>(string Type, THandler? Handler, ArmResource? Resource, JsonElement? State)
    where THandler : class, IResourceHandler;

/// <summary>
/// The frame both Case 3 actions share, on the change runner (which checks the protected-resources guard of their
/// catalog row): the resource read through ARM, the handler of its type plans, makes one change and verifies. A type no
/// handler takes is planned as a manual step with the sheet's instruction, never skipped. The before-state journaled is
/// the one the plan read (the handler's own shape, which release reads back); the after-state is the handler's.
/// </summary>
public abstract class ResourceAction<THandler>(ArmResources arm, IEnumerable<THandler> handlers, ChangeRunner runner)
    : ContainmentAction<ResourceState<THandler>>(runner)
    where THandler : class, IResourceHandler
{
    /// <summary>What a person does for a type the playbook does not handle (the sheet's words).</summary>
    protected abstract string ManualInstruction(string resourceType);

    /// <summary>A type no handler takes is not even read: ARM would need its api-version, and the plan is a person's job anyway.</summary>
    protected internal override async Task<ResourceState<THandler>> ReadAsync(StepContext step, CancellationToken cancellationToken)
    {
        var type = ResourceTypes.Of(step.Target.Id);
        return HandlerFor(type) is { } handler
            ? new(type, handler, await arm.FindAsync(step.Target.Id, cancellationToken), null)
            : new(type, null, null, null);
    }

    protected internal override Task<ResourceState<THandler>> ReadBeforeApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var type = ResourceTypes.Of(step.Target.Id);
        return Task.FromResult(new ResourceState<THandler>(type, HandlerFor(type)
            ?? throw new InvalidOperationException($"No handler for {step.Target.Id}: its plan was manual and has nothing to apply."), null, plan.Before));
    }

    protected internal override async Task<ResourceState<THandler>> ReadAfterApplyAsync(StepContext step, ResourceState<THandler> before, CancellationToken cancellationToken) =>
        before with { State = await before.Handler!.StateAsync(step, cancellationToken) };

    protected internal override bool AlwaysReadsAfter => true;

    protected internal override async Task<ActionPlan> PlanChangesAsync(StepContext step, ResourceState<THandler> state, GuardVerdict verdict, CancellationToken cancellationToken)
    {
        if (state.Handler is not { } handler)
        {
            return new ActionPlan(step.Action, step.Target, PlanStatus.NotBuilt, $"Manual: {ManualInstruction(state.Type)}", [new Evidence("Resource type", state.Type)], [], []);
        }

        if (state.Resource is not { } resource)
        {
            return Plans.Failed(step, new ErrorInfo(ErrorKind.NotFound, "ResourceNotFound", $"{step.Target.Id} does not exist (or the playbook cannot read it)."),
                $"{step.Target.Name} was not found in Azure Resource Manager: nothing to contain, or a missing Reader role.");
        }

        return await handler.PlanAsync(step, resource, cancellationToken);
    }

    protected internal override Task<ChangeOutcome> ApplyChangeAsync(StepContext step, ResourceState<THandler> before, PlannedChange change, CancellationToken cancellationToken) =>
        before.Handler!.ApplyAsync(step, change, cancellationToken);

    protected internal override string Summarize(StepContext step, ResourceState<THandler> before, ResourceState<THandler> after, IReadOnlyList<ChangeResult> results) =>
        $"{results.Count(c => c.Outcome == ChangeOutcome.Done)} of {results.Count} change(s) made on {step.Target.Name}.";

    protected internal override IReadOnlyList<string> ApplyWarnings(ActionPlan plan, ResourceState<THandler> before, IReadOnlyList<ChangeResult> results) =>
        [.. plan.Warnings.Where(w => w.StartsWith(ManualTask.Prefix, StringComparison.Ordinal))];

    protected internal override object? Journaled(ResourceState<THandler> state) => state.State;

    public override Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken) =>
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
