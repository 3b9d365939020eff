using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;

/// <summary>Set accountEnabled=false on the service principal <paramref name="ResourceId"/>.</summary>
public sealed record DisableServicePrincipalChange(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>
/// 2.a — Disable sign-in of the application (accountEnabled=false on its service principal): no token is issued to it or
/// for it any more, and its configuration stays for the investigation. The sheet asks to weigh the business impact first,
/// so the plan shows who depends on the app (assignments, delegated consents, application permissions, recent sign-ins);
/// an approver who finds it too high rejects this step and relies on 2.b–2.f. Reversible: the journal keeps accountEnabled=true.
/// </summary>
/// <remarks>Graph: GET/PATCH /servicePrincipals/{id}; evidence from GET …/appRoleAssignedTo, …/appRoleAssignments,
/// /oauth2PermissionGrants?$filter=clientId eq, /auditLogs/signIns?$filter=appId eq (interactive user sign-ins only in v1.0),
/// /auditLogs/directoryAudits?$filter=initiatedBy/app/appId eq and targetResources/any(t:t/id eq) (the app's own activity).
/// Permissions: the catalog row.</remarks>
public sealed class DisableServicePrincipal(GraphServiceClient graph, ApplicationDirectory apps, ChangeRunner runner) : ContainmentAction<ServicePrincipalState>(runner)
{
    public override ActionId Id { get; } = ActionId.Parse("2.a");

    protected internal override async Task<ServicePrincipalState> ReadAsync(StepContext step, CancellationToken cancellationToken) =>
        ServicePrincipalState.Of(await apps.GetServicePrincipalAsync(step.Target.Id, cancellationToken));

    protected internal override string? AppIdOf(ServicePrincipalState state) => state.AppId;

    protected internal override async Task<ActionPlan> PlanChangesAsync(StepContext step, ServicePrincipalState sp, GuardVerdict verdict, CancellationToken cancellationToken)
    {
        var evidence = new List<Evidence> { new("Enabled for sign-in", sp.AccountEnabled?.ToString() ?? "unknown") };
        if (sp.AccountEnabled == false)
        {
            return Plans.NothingToDo(step, $"{sp.DisplayName} is already disabled.", evidence, Snapshot.Of(sp));
        }

        var warnings = new List<string>();
        evidence.AddRange(await ImpactAsync(sp, warnings, cancellationToken));
        warnings.Add($"Disabling stops every user and service that relies on {sp.DisplayName}. If that impact is too high, reject this step: "
                     + "2.b–2.f remove the attacker's access without stopping the application.");
        return Plans.Change(step, $"Disable sign-in of {sp.DisplayName} (accountEnabled=false on its service principal).", evidence,
            [new DisableServicePrincipalChange(sp.Id, $"Disable the service principal of {sp.DisplayName} ({sp.AppId})")],
            warnings, Snapshot.Of(sp));
    }

    protected internal override async Task<ChangeOutcome> ApplyChangeAsync(StepContext step, ServicePrincipalState before, PlannedChange change, CancellationToken cancellationToken)
    {
        if (before.AccountEnabled == false)
        {
            return ChangeOutcome.AlreadyDone;
        }

        await graph.ServicePrincipals[before.Id].PatchAsync(new ServicePrincipal { AccountEnabled = false }, cancellationToken: cancellationToken);
        return ChangeOutcome.Done;
    }

    protected internal override string Summarize(StepContext step, ServicePrincipalState before, ServicePrincipalState after, IReadOnlyList<ChangeResult> results) =>
        results.Any(r => r.Outcome == ChangeOutcome.Done) ? $"{before.DisplayName} disabled for sign-in." : "Already disabled.";

    protected internal override IReadOnlyList<string> ApplyWarnings(ActionPlan plan, ServicePrincipalState before, IReadOnlyList<ChangeResult> results) =>
        results.Any(r => r.Outcome == ChangeOutcome.Done) ? ["Access tokens already issued to the application stay valid until they expire (about an hour)."] : [];

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var sp = await apps.GetServicePrincipalAsync(step.Target.Id, cancellationToken);
        return sp.AccountEnabled == false
            ? Results.Verified(step, "accountEnabled is false on the service principal.")
            : Results.Mismatch(step, "The service principal is enabled again.");
    }

    /// <summary>What disabling would stop, for the approver to weigh against the risk.</summary>
    private async Task<IReadOnlyList<Evidence>> ImpactAsync(ServicePrincipalState sp, List<string> warnings, CancellationToken cancellationToken)
    {
        var assigned = await apps.AssignedToAsync(sp.Id, cancellationToken);
        var grants = await apps.DelegatedGrantsAsync(sp.Id, cancellationToken);
        var permissions = await apps.ApplicationPermissionsAsync(sp.Id, cancellationToken);
        var evidence = new List<Evidence>
        {
            new("Assigned users and groups",
                $"{assigned.Count(a => a.PrincipalType is "User")} user(s), {assigned.Count(a => a.PrincipalType is "Group")} group(s), "
                + $"{assigned.Count(a => a.PrincipalType is "ServicePrincipal")} application(s)"),
            new("Delegated consents",
                $"{grants.Count(g => g.ConsentType == "AllPrincipals")} for all users, {grants.Count(g => g.ConsentType == "Principal")} by individual users"),
            new("Application permissions held", permissions.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Assignment required", sp.AppRoleAssignmentRequired?.ToString() ?? "unknown"),
        };

        // Source: Graph v1.0 "List signIns" returns interactive user sign-ins only; the app's own client-credential
        // sign-ins (servicePrincipalSignInActivities, and signIns' service principal events) are beta-only. So the
        // evidence says exactly what it covers, and v1.0's directory audit log shows what the app did and what was done to it.
        try
        {
            var page = await graph.AuditLogs.SignIns.GetAsync(r =>
            {
                r.QueryParameters.Filter = ODataFilter.Eq("appId", sp.AppId ?? string.Empty);
                r.QueryParameters.Top = 100;
            }, cancellationToken);
            var signIns = page?.Value ?? [];
            evidence.Add(new Evidence("Interactive user sign-ins to the app (last 100; the app's own client-credential sign-ins are not in v1.0)", signIns.Count == 0
                ? "none"
                : $"{signIns.Count} by {signIns.Select(s => s.UserId).Distinct().Count()} user(s), last {signIns.Max(s => s.CreatedDateTime):u}"));

            var byApp = await graph.AuditLogs.DirectoryAudits.GetAsync(r =>
            {
                r.QueryParameters.Filter = ODataFilter.Eq("initiatedBy/app/appId", sp.AppId ?? string.Empty);
                r.QueryParameters.Top = 50;
            }, cancellationToken);
            evidence.Add(new Evidence("Directory changes made by the app itself (audit log, last 50)", Describe(byApp?.Value ?? [])));
            var onApp = await graph.AuditLogs.DirectoryAudits.GetAsync(r =>
            {
                r.QueryParameters.Filter = $"targetResources/any(t:t/id eq '{ODataFilter.Escape(sp.Id)}')";
                r.QueryParameters.Top = 50;
            }, cancellationToken);
            evidence.Add(new Evidence("Changes made to the service principal (audit log, last 50)", Describe(onApp?.Value ?? [])));
        }
        catch (ODataError error) when (error.ResponseStatusCode is 403)
        {
            // Plan-time evidence only: the step still plans, with what the approver cannot see said as a warning.
            warnings.Add($"Sign-in and audit logs are not readable ({GraphErrors.ToErrorInfo(error).Code}): grant AuditLog.Read.All to see who uses the app and what it did.");
        }

        return evidence;
    }

    private static string Describe(IReadOnlyList<DirectoryAudit> audits) => audits.Count == 0
        ? "none"
        : $"{audits.Count}, last {audits.Max(a => a.ActivityDateTime):u}: " + string.Join("; ", audits.Take(5).Select(a => $"{a.ActivityDateTime:u} {a.ActivityDisplayName}"));
}

/// <summary>What 2.a reads of a service principal and journals before and after: release reads id and accountEnabled back.</summary>
public sealed record ServicePrincipalState(string Id, string? AppId, string? DisplayName, bool? AccountEnabled, bool? AppRoleAssignmentRequired, string? HomeTenant)
{
    public static ServicePrincipalState Of(ServicePrincipal sp) =>
        new(sp.Id!, sp.AppId, sp.DisplayName, sp.AccountEnabled, sp.AppRoleAssignmentRequired, sp.AppOwnerOrganizationId?.ToString());
}
