using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;

/// <summary>
/// 2.b — Review what the application can reach and strip what its baseline does not list: users, groups and apps
/// assigned to it, delegated consents (admin "for all users" and individual users'), application permissions it
/// holds; then require assignment so nobody else can sign in to it. An application with no baseline keeps nothing.
/// A consent holding any scope outside the baseline is revoked whole (a narrower consent can be granted again).
/// </summary>
/// <remarks>Graph: GET/DELETE /servicePrincipals/{id}/appRoleAssignedTo, GET/DELETE /servicePrincipals/{id}/appRoleAssignments,
/// GET /oauth2PermissionGrants?$filter=clientId eq, DELETE /oauth2PermissionGrants/{id}, PATCH /servicePrincipals/{id}
/// (appRoleAssignmentRequired). Permissions: the catalog row (DelegatedPermissionGrant.ReadWrite.All also lists the grants).</remarks>
public sealed class ReviewApplicationAccess(GraphServiceClient graph, ApplicationDirectory apps, TenantGuard guard) : IContainmentAction
{
    private const string RemoveAssignment = "remove-assignment";
    private const string RemoveGrant = "remove-delegated-grant";
    private const string RemovePermission = "remove-application-permission";
    private const string RequireAssignment = "require-assignment";

    public ActionId Id { get; } = ActionId.Parse("2.b");

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var verdict = guard.CheckPrincipal(step.Target);
        if (!verdict.Allowed)
        {
            return Plans.Refused(step, verdict);
        }

        var sp = await apps.GetServicePrincipalAsync(step.Target.Id, cancellationToken);
        if (guard.CheckApplication(step.Target, sp.AppId) is { Allowed: false } approvalApp)
        {
            return Plans.Refused(step, approvalApp);
        }

        var baseline = apps.Baseline(sp.AppId);
        var access = await ReadAsync(sp, cancellationToken);
        var evidence = new List<Evidence>();
        var changes = new List<PlannedChange>();
        var warnings = new List<string>();
        if (baseline is null)
        {
            warnings.Add($"No baseline for {sp.DisplayName} ({sp.AppId}): every assignment, consent and permission it has is treated as illegitimate.");
        }

        foreach (var item in access.Items)
        {
            var kept = item.IsLegitimate(baseline);
            evidence.Add(new Evidence(item.Label, $"{item.Detail}; {(kept ? "in the baseline: kept" : "NOT in the baseline")}"));
            if (!kept)
            {
                changes.Add(item.ToChange());
            }
        }

        evidence.Add(new Evidence("Assignment required", access.AssignmentRequired?.ToString() ?? "unknown"));
        if (access.AssignmentRequired != true)
        {
            changes.Add(new UntypedChange(RequireAssignment, sp.Id!, $"Require assignment to sign in to {sp.DisplayName} (appRoleAssignmentRequired=true)"));
            warnings.Add("Once assignment is required, only the users and groups still assigned can sign in to the application.");
        }

        var users = access.Items.Where(i => !i.IsLegitimate(baseline)).SelectMany(i => i.AffectedUsers).Distinct().ToList();
        if (access.Items.Any(i => i.Kind == RemoveGrant && i.ConsentType == "AllPrincipals" && !i.IsLegitimate(baseline)))
        {
            warnings.Add("A consent for all users is revoked: refresh tokens users already obtained for the app stay valid. Revoke the sessions (1.b) of the users who used it (see the sign-ins in 2.a).");
        }
        else if (users.Count > 0)
        {
            warnings.Add($"Refresh tokens already issued stay valid: revoke the sessions (1.b) of {string.Join(", ", users)}.");
        }

        var before = Snapshot.Of(access.Describe());
        return changes.Count == 0
            ? Plans.NothingToDo(step, $"{sp.DisplayName} has no access outside its baseline and requires assignment.", evidence, before, warnings)
            : Plans.Change(step, $"Remove {changes.Count(c => c.Kind != RequireAssignment)} illegitimate access grant(s) of {sp.DisplayName}"
                                 + (access.AssignmentRequired == true ? "." : " and require assignment."), evidence, changes, warnings, before);
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var verdict = guard.CheckPrincipal(step.Target);
        if (!verdict.Allowed)
        {
            return Results.Refused(step, verdict);
        }

        var sp = await apps.GetServicePrincipalAsync(step.Target.Id, cancellationToken);
        if (guard.CheckApplication(step.Target, sp.AppId) is { Allowed: false } approvalApp)
        {
            return Results.Refused(step, approvalApp);
        }

        var before = await ReadAsync(sp, cancellationToken);
        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes)
        {
            results.Add(await ApplyChangeAsync(sp.Id!, change, before, cancellationToken));
        }

        var after = await ReadAsync(await apps.GetServicePrincipalAsync(sp.Id!, cancellationToken), cancellationToken);
        return Results.From(step, results, $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} change(s) made; {after.Items.Count} access grant(s) remain.",
            Snapshot.Of(before.Describe()), Snapshot.Of(after.Describe()), plan.Warnings);
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(await apps.GetServicePrincipalAsync(step.Target.Id, cancellationToken), cancellationToken);
        var left = plan.Changes.Where(c => c.Kind == RequireAssignment ? current.AssignmentRequired != true : current.Items.Any(i => i.Matches(c))).ToList();
        return left.Count == 0
            ? Results.Verified(step, $"None of the {plan.Changes.Count} planned change(s) is undone.")
            : Results.Mismatch(step, $"Still present: {string.Join("; ", left.Select(c => c.Description))}.");
    }

    private async Task<ChangeResult> ApplyChangeAsync(string spId, PlannedChange change, Access current, CancellationToken cancellationToken)
    {
        var present = change.Kind == RequireAssignment ? current.AssignmentRequired != true : current.Items.Any(i => i.Matches(change));
        if (!present)
        {
            return new ChangeResult(change, ChangeOutcome.AlreadyDone);
        }

        return await Results.RunChangeAsync(change, async () =>
        {
            switch (change.Kind)
            {
                case RemoveAssignment:
                    await graph.ServicePrincipals[spId].AppRoleAssignedTo[change.ResourceId].DeleteAsync(cancellationToken: cancellationToken);
                    break;
                case RemovePermission:
                    await graph.ServicePrincipals[spId].AppRoleAssignments[change.ResourceId].DeleteAsync(cancellationToken: cancellationToken);
                    break;
                case RemoveGrant:
                    await graph.Oauth2PermissionGrants[change.ResourceId].DeleteAsync(cancellationToken: cancellationToken);
                    break;
                case RequireAssignment:
                    await graph.ServicePrincipals[spId].PatchAsync(new ServicePrincipal { AppRoleAssignmentRequired = true }, cancellationToken: cancellationToken);
                    break;
                default:
                    throw new InvalidOperationException($"2.b cannot apply '{change.Kind}'.");
            }

            return ChangeOutcome.Done;
        });
    }

    private async Task<Access> ReadAsync(ServicePrincipal sp, CancellationToken cancellationToken)
    {
        var names = apps.Names();
        var items = new List<AccessItem>();
        foreach (var a in await apps.AssignedToAsync(sp.Id!, cancellationToken))
        {
            var role = a.AppRoleId is { } id && id != Guid.Empty ? sp.AppRoles?.FirstOrDefault(r => r.Id == id)?.Value ?? id.ToString() : "default access";
            items.Add(new AccessItem(RemoveAssignment, a.Id!, $"Assigned {a.PrincipalType} {a.PrincipalDisplayName ?? a.PrincipalId.ToString()}",
                $"role {role}, since {a.CreatedDateTime:u}", [a.PrincipalId.ToString()!], a.PrincipalId.ToString()!, null,
                a.PrincipalType == "User" ? [a.PrincipalDisplayName ?? a.PrincipalId.ToString()!] : []));
        }

        foreach (var g in await apps.DelegatedGrantsAsync(sp.Id!, cancellationToken))
        {
            var scopes = (g.Scope ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var who = g.ConsentType == "AllPrincipals" ? "all users (admin consent)" : $"user {g.PrincipalId}";
            items.Add(new AccessItem(RemoveGrant, g.Id!, $"Delegated consent to {await names.ResourceNameAsync(g.ResourceId ?? "?", cancellationToken)} for {who}",
                $"scopes {string.Join(' ', scopes)}", scopes, null, g.ConsentType, g.ConsentType == "Principal" && g.PrincipalId is not null ? [g.PrincipalId] : []));
        }

        foreach (var p in await apps.ApplicationPermissionsAsync(sp.Id!, cancellationToken))
        {
            var value = await names.AppRoleAsync(p.ResourceId, p.AppRoleId, cancellationToken);
            items.Add(new AccessItem(RemovePermission, p.Id!, $"Application permission {value} on {p.ResourceDisplayName ?? p.ResourceId.ToString()}",
                $"granted {p.CreatedDateTime:u}", [value], null, null, []));
        }

        return new Access(items, sp.AppRoleAssignmentRequired);
    }

    private sealed record Access(IReadOnlyList<AccessItem> Items, bool? AssignmentRequired)
    {
        public object Describe() => new
        {
            appRoleAssignmentRequired = AssignmentRequired,
            access = Items.Select(i => new { kind = i.Kind, id = i.Id, label = i.Label, detail = i.Detail }),
        };
    }

    /// <summary>One assignment, consent or permission. <see cref="Values"/> are what the baseline is matched on.</summary>
    private sealed record AccessItem(
        string Kind, string Id, string Label, string Detail, IReadOnlyList<string> Values, string? PrincipalId, string? ConsentType, IReadOnlyList<string> AffectedUsers)
    {
        public bool IsLegitimate(ApplicationBaseline? baseline) => baseline is not null && Kind switch
        {
            RemoveAssignment => baseline.AssignedPrincipals.Contains(PrincipalId!, StringComparer.OrdinalIgnoreCase),
            RemoveGrant => Values.All(v => baseline.DelegatedPermissions.Contains(v, StringComparer.OrdinalIgnoreCase)),
            RemovePermission => Values.All(v => baseline.ApplicationPermissions.Contains(v, StringComparer.OrdinalIgnoreCase)),
            _ => false,
        };

        public PlannedChange ToChange() => new UntypedChange(Kind, Id, Kind switch
        {
            RemoveAssignment => $"Remove the assignment: {Label} ({Detail})",
            RemoveGrant => $"Revoke the {Label} ({Detail})",
            _ => $"Revoke the {Label}",
        });

        public bool Matches(PlannedChange change) => change.Kind == Kind && string.Equals(change.ResourceId, Id, StringComparison.OrdinalIgnoreCase);
    }
}
