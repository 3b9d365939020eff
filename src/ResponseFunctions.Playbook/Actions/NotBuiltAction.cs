using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Actions;

/// <summary>Stands for a sheet action this version does not perform: every plan reports it, so the responder does it by hand.</summary>
public sealed class NotBuiltAction(ActionDescriptor descriptor) : IContainmentAction
{
    public ActionId Id => descriptor.Id;

    public Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken) =>
        Task.FromResult(new ActionPlan(
            descriptor.Id,
            step.Target,
            PlanStatus.NotBuilt,
            $"Not automated yet: perform {descriptor.Id} \"{descriptor.Title}\" by hand, following the sheet.",
            [],
            [],
            []));

    public Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"{descriptor.Id} is not built; it has nothing to apply.");

    public Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"{descriptor.Id} is not built; it has nothing to verify.");
}
