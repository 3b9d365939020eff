using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>
/// 1.f — Revoke the directory roles the account holds outside the configured role baseline: active assignments,
/// PIM eligibilities, and membership of role-assignable groups that carry a role (read and removed by
/// <see cref="RoleGrants"/>, shared with 2.d). Legitimate roles stay. Removing Global Administrator passes the
/// two-trusted-Global-Administrators guard first, at plan and again right before that change.
/// </summary>
/// <remarks>Graph: see <see cref="RoleGrants"/> and <see cref="RoleHoldings"/>. Permissions: the catalog row.</remarks>
public sealed class RevokeIllegitimateRoles(RoleGrants roles, TenantGuard guard, IOptions<ContainmentPolicy> policy, ChangeRunner runner)
    : ContainmentAction<IReadOnlyList<HeldRole>>(runner), IWavePlanning
{
    private const string Justification = "Incident containment (sheet action 1.f)";

    public override ActionId Id { get; } = ActionId.Parse("1.f");

    protected internal override Task<IReadOnlyList<HeldRole>> ReadAsync(StepContext step, CancellationToken cancellationToken) =>
        roles.ReadAsync(step.Target.Id, throughGroups: true, cancellationToken);

    /// <summary>
    /// The wave's roles read together (<see cref="RoleGrants.ReadManyAsync"/>: a few requests for the wave's active
    /// assignments and eligibilities instead of two per account), each step planned from its own, as from its own read.
    /// Applying and verifying stay step by step: only a holder of a role outside the baseline has anything to apply.
    /// </summary>
    public async Task<IReadOnlyList<ActionPlan>> PlanWaveAsync(IReadOnlyList<StepContext> steps, CancellationToken cancellationToken)
    {
        var held = await roles.ReadManyAsync([.. steps.Select(s => s.Target.Id)], throughGroups: true, cancellationToken);
        var plans = new ActionPlan[steps.Count];
        for (var i = 0; i < steps.Count; i++)
        {
            plans[i] = await Runner.PlanFromAsync(this, steps[i], held[steps[i].Target.Id], cancellationToken);
        }

        return plans;
    }

    protected internal override async Task<ActionPlan> PlanChangesAsync(StepContext step, IReadOnlyList<HeldRole> held, GuardVerdict verdict, CancellationToken cancellationToken)
    {
        var evidence = new List<Evidence>();
        var warnings = new List<string>();
        var changes = new List<PlannedChange>();
        if (policy.Value.RoleBaseline.Count == 0)
        {
            warnings.Add("No role baseline is configured: every role the account holds is treated as illegitimate.");
        }

        foreach (var role in held)
        {
            var legitimate = policy.Value.AllowsRole(role.RoleDefinitionId, step.Target.Id);
            evidence.Add(new Evidence($"{role.Kind} {role.RoleName}", $"{role.Via}; {(legitimate ? "in the baseline: kept" : "NOT in the baseline")}"));
            if (legitimate)
            {
                continue;
            }

            if (TakesGlobalAdministrator(role.RoleDefinitionId, role.Kind))
            {
                var loss = await guard.CheckGlobalAdministratorLossAsync(step.Target, step.Scope, cancellationToken);
                evidence.AddRange(loss.Evidence);
                if (!loss.Allowed)
                {
                    warnings.Add($"Kept {role.RoleName} ({role.Via}): {loss.Reason}");
                    continue;
                }
            }

            changes.Add(role.ToChange(step.Target.Name));
        }

        var before = Snapshot.Of(held);
        if (changes.Count == 0)
        {
            return held.Any(r => !policy.Value.AllowsRole(r.RoleDefinitionId, step.Target.Id))
                ? new ActionPlan(step.Action, step.Target, PlanStatus.Refused, "Illegitimate roles found, but removing them would break a safety rule.", evidence, [], warnings) { Before = before }
                : Plans.NothingToDo(step, $"{step.Target.Name} holds no role outside the baseline.", evidence, before, warnings);
        }

        return Plans.Change(step, $"Revoke {changes.Count} illegitimate role grant(s) of {step.Target.Name}.", evidence, changes, warnings, before);
    }

    protected internal override async Task<GuardVerdict?> CheckChangeAsync(StepContext step, PlannedChange change, CancellationToken cancellationToken) =>
        change is IRemovesRole removal && TakesGlobalAdministrator(removal.RoleDefinitionId, change is RemoveRoleEligibility ? HeldKind.Eligible : HeldKind.Active)
            ? await guard.CheckGlobalAdministratorLossAsync(step.Target, step.Scope, cancellationToken)
            : null;

    protected internal override Task<ChangeOutcome> ApplyChangeAsync(StepContext step, IReadOnlyList<HeldRole> before, PlannedChange change, CancellationToken cancellationToken) =>
        roles.RemoveAsync(step.Target.Id, change, before, Justification, cancellationToken);

    protected internal override string Summarize(StepContext step, IReadOnlyList<HeldRole> before, IReadOnlyList<HeldRole> after, IReadOnlyList<ChangeResult> results) =>
        $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} role grant(s) revoked; {after.Count} remain.";

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(step, cancellationToken);
        var left = plan.Changes.Where(c => current.Any(r => r.Matches(c))).ToList();
        return left.Count == 0
            ? Results.Verified(step, $"None of the {plan.Changes.Count} revoked grant(s) remains.")
            : Results.Mismatch(step, $"Still present: {string.Join("; ", left.Select(c => c.Description))}.");
    }

    /// <summary>An eligibility gives no power until activated: only active and group-held Global Administrator count.</summary>
    private static bool TakesGlobalAdministrator(string roleDefinitionId, HeldKind kind) =>
        roleDefinitionId == DirectoryReader.GlobalAdministratorRoleId && kind != HeldKind.Eligible;
}
