using Microsoft.Graph;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.CompromisedAppIdentity.Access;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;

/// <summary>
/// 2.b — Review what the application can reach and strip what its baseline does not list: users, groups and apps
/// assigned to it (<see cref="AssignedPrincipals"/>), delegated consents, admin "for all users" and individual users'
/// (<see cref="DelegatedConsents"/>), application permissions it holds (<see cref="ApplicationPermissions"/>); then
/// require assignment so nobody else can sign in to it. An application with no baseline keeps nothing. A consent
/// holding any scope outside the baseline is revoked whole (a narrower consent can be granted again).
/// </summary>
/// <remarks>Graph: each kind's reads and removals, and PATCH /servicePrincipals/{id} (appRoleAssignmentRequired).
/// Permissions: the catalog row (DelegatedPermissionGrant.ReadWrite.All also lists the grants).</remarks>
public sealed class ReviewApplicationAccess(GraphServiceClient graph, ApplicationDirectory apps, ChangeRunner runner) : ContainmentAction<ApplicationAccess>(runner)
{
    public override ActionId Id { get; } = ActionId.Parse("2.b");

    protected internal override Task<ApplicationAccess> ReadAsync(StepContext step, CancellationToken cancellationToken) =>
        ApplicationAccess.ReadAsync(apps, step.Target.Id, cancellationToken);

    protected internal override string? AppIdOf(ApplicationAccess state) => state.AppId;

    protected override ActionPlan Plan(StepContext step, ApplicationAccess access, GuardVerdict verdict)
    {
        var baseline = apps.Baseline(access.AppId);
        var evidence = new List<Evidence>();
        var changes = new List<PlannedChange>();
        var warnings = new List<string>();
        if (baseline is null)
        {
            warnings.Add($"No baseline for {access.DisplayName} ({access.AppId}): every assignment, consent and permission it has is treated as illegitimate.");
        }

        foreach (var item in access.Items)
        {
            var kept = item.IsLegitimate(baseline);
            evidence.Add(new Evidence(item.Label, $"{item.Detail}; {(kept ? "in the baseline: kept" : "NOT in the baseline")}"));
            if (!kept)
            {
                changes.Add(item.ToChange(access.ServicePrincipalId));
            }
        }

        evidence.Add(new Evidence("Assignment required", access.AssignmentRequired?.ToString() ?? "unknown"));
        if (access.AssignmentRequired != true)
        {
            changes.Add(new RequireAssignment(access.ServicePrincipalId, $"Require assignment to sign in to {access.DisplayName} (appRoleAssignmentRequired=true)"));
            warnings.Add("Once assignment is required, only the users and groups still assigned can sign in to the application.");
        }

        var removed = access.Items.Where(i => !i.IsLegitimate(baseline)).ToList();
        var users = removed.SelectMany(i => i.AffectedUsers).Distinct().ToList();
        if (removed.OfType<DelegatedConsent>().Any(c => c.ForAllUsers))
        {
            warnings.Add("A consent for all users is revoked: refresh tokens users already obtained for the app stay valid. Revoke the sessions (1.b) of the users who used it (see the sign-ins in 2.a).");
        }
        else if (users.Count > 0)
        {
            warnings.Add($"Refresh tokens already issued stay valid: revoke the sessions (1.b) of {string.Join(", ", users)}.");
        }

        var before = Snapshot.Of(access.Describe());
        return changes.Count == 0
            ? Plans.NothingToDo(step, $"{access.DisplayName} has no access outside its baseline and requires assignment.", evidence, before, warnings)
            : Plans.Change(step, $"Remove {changes.Count(c => c is not RequireAssignment)} illegitimate access grant(s) of {access.DisplayName}"
                                 + (access.AssignmentRequired == true ? "." : " and require assignment."), evidence, changes, warnings, before);
    }

    protected internal override async Task<ChangeOutcome> ApplyChangeAsync(StepContext step, ApplicationAccess before, PlannedChange change, CancellationToken cancellationToken)
    {
        if (!before.Needs(change))
        {
            return ChangeOutcome.AlreadyDone;
        }

        await (change switch
        {
            RemoveAssignment assignment => AssignedPrincipals.RemoveAsync(graph, assignment, cancellationToken),
            RemoveDelegatedGrant grant => DelegatedConsents.RemoveAsync(graph, grant, cancellationToken),
            RemoveApplicationPermission permission => ApplicationPermissions.RemoveAsync(graph, permission, cancellationToken),
            RequireAssignment require => ApplicationAccess.RequireAssignmentAsync(graph, require, cancellationToken),
            _ => throw new ArgumentException($"2.b has no change '{change.Kind}'.", nameof(change)),
        });
        return ChangeOutcome.Done;
    }

    protected internal override string Summarize(StepContext step, ApplicationAccess before, ApplicationAccess after, IReadOnlyList<ChangeResult> results) =>
        $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} change(s) made; {after.Items.Count} access grant(s) remain.";

    protected internal override IReadOnlyList<string> ApplyWarnings(ActionPlan plan, ApplicationAccess before, IReadOnlyList<ChangeResult> results) => plan.Warnings;

    protected internal override object Journaled(ApplicationAccess state) => state.Describe();

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(step, cancellationToken);
        var left = plan.Changes.Where(current.Needs).ToList();
        return left.Count == 0
            ? Results.Verified(step, $"None of the {plan.Changes.Count} planned change(s) is undone.")
            : Results.Mismatch(step, $"Still present: {string.Join("; ", left.Select(c => c.Description))}.");
    }
}
