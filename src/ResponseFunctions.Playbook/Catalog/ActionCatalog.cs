using System.Collections.Frozen;

namespace ResponseFunctions.Playbook.Catalog;

/// <summary>
/// Every containment action of the sheet "Compromission d'un tenant Azure — Endiguement", in the order and with the
/// priorities of its priority table (which wins where the detailed sections disagree, e.g. 4.b/4.c), plus the
/// follow-up steps the playbook adds. Each row is the one declaration of its action (see <see cref="ActionDescriptor"/>):
/// permissions are the least-privileged ones documented for each request, and <see cref="PermissionManifest"/> is built
/// from them (tests hold the manifest, the README and `setup permissions` to these rows).
/// </summary>
public static class ActionCatalog
{
    public static IReadOnlyList<ActionDescriptor> All { get; } =
    [
        // Case 1 — compromised Microsoft 365 / Entra ID account
        new(Id("1.a"), CaseId.CompromisedAccount, Priority.P0, 1, "Reset the password of the compromised account", TargetKind.User,
            Destructive: true, Reversible: false, ActionGuard.GlobalAdministratorLoss,
            Graph("User-PasswordProfile.ReadWrite.All") with { DirectoryRoles = [EntraRoles.UserAdministrator, EntraRoles.PrivilegedAuthenticationAdministrator] },
            "Privileged Authentication Administrator only when the target holds an admin role"),
        new(Id("1.b"), CaseId.CompromisedAccount, Priority.P0, 2, "Revoke active sign-in sessions", TargetKind.User,
            Destructive: true, Reversible: false, ActionGuard.Principal, Graph("User.RevokeSessions.All")),
        new(Id("1.c"), CaseId.CompromisedAccount, Priority.P0, 3, "Disable the account", TargetKind.User,
            Destructive: true, Reversible: true, ActionGuard.GlobalAdministratorLoss,
            Graph("User.EnableDisableAccount.All") with { DirectoryRoles = [EntraRoles.PrivilegedAuthenticationAdministrator] },
            "Privileged Authentication Administrator when the target holds an admin role"),
        new(Id("1.d"), CaseId.CompromisedAccount, Priority.P0, 4, "Require MFA re-registration (remove every non-password method)", TargetKind.User,
            Destructive: true, Reversible: false, ActionGuard.GlobalAdministratorLoss, Graph("UserAuthenticationMethod.ReadWrite.All")),
        new(Id("1.e"), CaseId.CompromisedAccount, Priority.P1, 5, "Harden Conditional Access: block the attacker's IPs and countries", TargetKind.Tenant,
            Destructive: true, Reversible: true, ActionGuard.None, Graph("Policy.Read.All", "Policy.ReadWrite.ConditionalAccess", "AuditLog.Read.All")),
        new(Id("1.f"), CaseId.CompromisedAccount, Priority.P1, 6, "Revoke illegitimate directory roles (active, PIM-eligible, via role-assignable groups)", TargetKind.User,
            Destructive: true, Reversible: true, ActionGuard.Principal,
            Graph("RoleManagement.ReadWrite.Directory", "RoleAssignmentSchedule.ReadWrite.Directory", "RoleEligibilitySchedule.ReadWrite.Directory", "GroupMember.ReadWrite.All"),
            "removing Global Administrator also passes the two-trusted-Global-Administrators guard, change by change"),
        new(Id("1.risk"), CaseId.CompromisedAccount, Priority.P1, 7, "Confirm the user compromised in Identity Protection", TargetKind.User,
            Destructive: false, Reversible: true, ActionGuard.Principal, Graph("IdentityRiskyUser.ReadWrite.All"), "Entra ID P2", FromSheet: false),

        // Case 2 — compromised application identity
        new(Id("2.a"), CaseId.CompromisedAppIdentity, Priority.P0, 1, "Disable sign-in of the compromised or malicious application", TargetKind.Application,
            Destructive: true, Reversible: true, ActionGuard.Application, Graph("Application.ReadWrite.All", "Directory.Read.All", "AuditLog.Read.All")),
        new(Id("2.b"), CaseId.CompromisedAppIdentity, Priority.P0, 2, "Review the application's access and permissions", TargetKind.Application,
            Destructive: true, Reversible: true, ActionGuard.Application, Graph("AppRoleAssignment.ReadWrite.All", "DelegatedPermissionGrant.ReadWrite.All", "Application.ReadWrite.All")),
        new(Id("2.c"), CaseId.CompromisedAppIdentity, Priority.P0, 3, "Reset the application's certificates and secrets", TargetKind.Application,
            Destructive: true, Reversible: false, ActionGuard.Principal, Graph("Application.ReadWrite.All")),
        new(Id("2.d"), CaseId.CompromisedAppIdentity, Priority.P0, 4, "Remove illegitimate Entra roles held by the application", TargetKind.Application,
            Destructive: true, Reversible: true, ActionGuard.Principal,
            Graph("RoleManagement.ReadWrite.Directory", "RoleAssignmentSchedule.ReadWrite.Directory", "RoleEligibilitySchedule.ReadWrite.Directory")),
        new(Id("2.e"), CaseId.CompromisedAppIdentity, Priority.P0, 5, "Restore the application's roles and administrators", TargetKind.Application,
            Destructive: true, Reversible: true, ActionGuard.Principal, Graph("RoleManagement.ReadWrite.Directory", "Application.Read.All")),
        new(Id("2.f"), CaseId.CompromisedAppIdentity, Priority.P1, 6, "Restore the application's legitimate owner", TargetKind.Application,
            Destructive: true, Reversible: true, ActionGuard.Application, Graph("Application.ReadWrite.All")),
        new(Id("2.g"), CaseId.CompromisedAppIdentity, Priority.P1, 7, "Require admin consent for new third-party applications", TargetKind.Tenant,
            Destructive: true, Reversible: true, ActionGuard.None, Graph("Policy.ReadWrite.Authorization", "Policy.ReadWrite.ConsentRequest", "User.Read.All")),

        // Case 3 — compromised Azure resource: Azure RBAC, not Entra permissions
        new(Id("3.a"), CaseId.CompromisedAzureResource, Priority.P0, 1, "Isolate the compromised Azure resources", TargetKind.AzureResource,
            Destructive: true, Reversible: true, ActionGuard.Resource, null,
            "Azure RBAC custom role infra/roles/case3-responder.json (compute, network, web, storage actions; SecurityAlert query)"),
        new(Id("3.b"), CaseId.CompromisedAzureResource, Priority.P0, 2, "Revoke credentials present on the resource", TargetKind.AzureResource,
            Destructive: true, Reversible: false, ActionGuard.Resource, null,
            "Azure RBAC custom role infra/roles/case3-responder.json (listKeys/regenerateKey, host keys, publishing policies, VM extensions; Key Vault secrets data actions)"),

        // Case 4 — spam relay (priority table order: 4.b is the anti-spoofing restore, 4.c the hardening)
        new(Id("4.a"), CaseId.SpamRelay, Priority.P0, 1, "Restore the compromised anti-spam configuration (tenant allow/block list)", TargetKind.Tenant,
            Destructive: true, Reversible: true, ActionGuard.None, Exchange()),
        new(Id("4.b"), CaseId.SpamRelay, Priority.P0, 2, "Restore the compromised anti-spoofing policy", TargetKind.Tenant,
            Destructive: true, Reversible: true, ActionGuard.None, Exchange()),
        new(Id("4.c"), CaseId.SpamRelay, Priority.P1, 3, "Strengthen the anti-spam configuration against recurrence", TargetKind.Tenant,
            Destructive: true, Reversible: true, ActionGuard.None, Exchange()),

        // Case 5 — data leak through mail
        new(Id("5.a"), CaseId.MailDataLeak, Priority.P0, 1, "Remove illegitimate forwarding rules", TargetKind.Mailbox,
            Destructive: true, Reversible: true, ActionGuard.Principal, Exchange("MailboxSettings.ReadWrite")),
        new(Id("5.b"), CaseId.MailDataLeak, Priority.P0, 2, "Remove illegitimate transport rules", TargetKind.Tenant,
            Destructive: true, Reversible: true, ActionGuard.None, Exchange()),
        new(Id("5.c"), CaseId.MailDataLeak, Priority.P0, 3, "Disable direct sign-in to shared mailboxes", TargetKind.Tenant,
            Destructive: true, Reversible: true, ActionGuard.None, Exchange("User.EnableDisableAccount.All", "User.Read.All"),
            "each shared mailbox's account passes the principal guard, change by change"),
        new(Id("5.d"), CaseId.MailDataLeak, Priority.P0, 4, "Disable legacy protocols (IMAP, POP, SMTP AUTH)", TargetKind.Tenant,
            Destructive: true, Reversible: true, ActionGuard.None, Exchange()),
        new(Id("5.e"), CaseId.MailDataLeak, Priority.P0, 5, "Block unauthorised attachment extensions", TargetKind.Tenant,
            Destructive: true, Reversible: true, ActionGuard.None, Exchange()),
        new(Id("5.f"), CaseId.MailDataLeak, Priority.P0, 6, "Remove illegitimate mailbox delegations", TargetKind.Mailbox,
            Destructive: true, Reversible: true, ActionGuard.Principal, Exchange()),
    ];

    private static readonly FrozenDictionary<ActionId, ActionDescriptor> ById = All.ToFrozenDictionary(a => a.Id);

    /// <summary>The 24 actions the sheet lists (the playbook's own follow-up steps excluded).</summary>
    public static IEnumerable<ActionDescriptor> SheetActions => All.Where(a => a.FromSheet);

    public static ActionDescriptor Get(ActionId id) =>
        ById.TryGetValue(id, out var descriptor) ? descriptor : throw new KeyNotFoundException($"No action {id} in the catalog.");

    public static bool Contains(ActionId id) => ById.ContainsKey(id);

    /// <summary>A case's actions in the order they run: P0 before P1, then the priority table's order.</summary>
    public static IReadOnlyList<ActionDescriptor> ForCase(CaseId caseId) =>
        [.. All.Where(a => a.Case == caseId).OrderBy(a => a.Priority).ThenBy(a => a.Order)];

    private static ActionId Id(string value) => ActionId.Parse(value);

    private static Grants Graph(params string[] permissions) => Grants.Graph(permissions);

    private static Grants Exchange(params string[] graphPermissions) => Grants.Exchange(graphPermissions);
}
