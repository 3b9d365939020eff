using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Release.CompromisedAccount;

/// <summary>
/// Release of 1.f — re-grant the directory roles the containment took from the account, one grant per step (active
/// assignment, PIM eligibility, or role-assignable group membership, at its journaled scope). They were outside the role
/// baseline: each step needs two distinct approvers, and 1.f is released only when a release names it.
/// </summary>
/// <remarks>Graph: see <see cref="RoleRegrant"/>. Permissions: 1.f's catalog row.</remarks>
public sealed class RegrantRoles(RoleRegrant regrant) : IReleaseAction
{
    public ActionId Id { get; } = ActionId.Parse("1.f");

    public IReadOnlyList<string?> Items(OriginalStep original) => RoleRegrant.Items(original);

    public Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken) =>
        regrant.PlanAsync(step, original, throughGroups: true, cancellationToken);

    public Task<ApplyResult> ApplyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken) =>
        regrant.ApplyAsync(step, plan, throughGroups: true, cancellationToken);

    public Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken) =>
        regrant.VerifyAsync(step, plan, throughGroups: true, cancellationToken);
}
