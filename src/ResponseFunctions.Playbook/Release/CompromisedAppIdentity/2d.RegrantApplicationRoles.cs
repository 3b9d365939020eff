using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Release.CompromisedAppIdentity;

/// <summary>
/// Release of 2.d — re-grant the Entra roles the containment took from the application's service principal, one grant
/// per step (active assignment or PIM eligibility, at its journaled scope). They were outside the role baseline: each
/// step needs two distinct approvers, and 2.d is released only when a release names it.
/// </summary>
/// <remarks>Graph: see <see cref="RoleRegrant"/>. Permissions: 2.d's catalog row.</remarks>
public sealed class RegrantApplicationRoles(RoleRegrant regrant) : IReleaseAction
{
    public ActionId Id { get; } = ActionId.Parse("2.d");

    public IReadOnlyList<string?> Items(OriginalStep original) => RoleRegrant.Items(original);

    public Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken) =>
        regrant.PlanAsync(step, original, throughGroups: false, cancellationToken);

    public Task<ApplyResult> ApplyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken) =>
        regrant.ApplyAsync(step, plan, throughGroups: false, cancellationToken);

    public Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken) =>
        regrant.VerifyAsync(step, plan, throughGroups: false, cancellationToken);
}
