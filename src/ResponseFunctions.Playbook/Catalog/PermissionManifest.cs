using System.Collections.Frozen;

namespace ResponseFunctions.Playbook.Catalog;

/// <summary>An Entra built-in directory role. For built-in roles the role definition id is the template id.</summary>
/// <remarks>Source: "Microsoft Entra built-in roles" (learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference).</remarks>
public sealed record DirectoryRoleNeed(string DisplayName, string TemplateId);

/// <summary>
/// What one consumer of the playbook identity needs: an action of the catalog, or a step every containment runs
/// (intake, the tenant guard). Graph application permissions, Exchange Online's Exchange.ManageAsApp, directory roles.
/// </summary>
public sealed record PermissionNeed(
    string Consumer,
    IReadOnlyList<string> GraphApplicationPermissions,
    bool ExchangeManageAsApp,
    IReadOnlyList<DirectoryRoleNeed> DirectoryRoles)
{
    /// <summary>Every permission of this need, Graph's and Exchange's, as the README tables write them.</summary>
    public IEnumerable<string> ApplicationPermissions =>
        ExchangeManageAsApp ? GraphApplicationPermissions.Append(PermissionManifest.ExchangeManageAsApp) : GraphApplicationPermissions;
}

/// <summary>
/// The one list of the Entra and Exchange permissions the playbook identity holds: `setup permissions` grants exactly
/// the union of it, the README's permission tables and the catalog's <see cref="ActionDescriptor.Permissions"/> say the
/// same per action (a test compares them), and every entry has a consumer (least privilege). Azure RBAC (Case 3) is
/// the custom role of infra/roles, not here.
/// </summary>
public static class PermissionManifest
{
    /// <summary>Microsoft Graph's application id (the resource service principal of every Graph permission).</summary>
    public const string GraphAppId = "00000003-0000-0000-c000-000000000000";

    /// <summary>Office 365 Exchange Online's application id. Source: "App-only authentication in Exchange Online PowerShell".</summary>
    public const string ExchangeAppId = "00000002-0000-0ff1-ce00-000000000000";

    public const string ExchangeManageAsApp = "Exchange.ManageAsApp";

    public static DirectoryRoleNeed UserAdministrator { get; } = new("User Administrator", "fe930be7-5e62-47db-91af-98c3a49a38b1");

    public static DirectoryRoleNeed PrivilegedAuthenticationAdministrator { get; } = new("Privileged Authentication Administrator", "7be44c8a-adaf-4e2a-84d6-ab2649e08a13");

    public static DirectoryRoleNeed ExchangeAdministrator { get; } = new("Exchange Administrator", "29232cdf-9323-42fd-ade2-1d097af3e4de");

    /// <summary>Steps every containment of a case runs besides its actions (README's "intake, guard", "intake", "all" rows).</summary>
    public const string IntakeAndGuard = "intake, guard";
    public const string ApplicationIntake = "intake (applications)";
    public const string IdentityProtectionPolling = "intake (Identity Protection polling)";
    public const string ExchangeAll = "all (Exchange)";

    public static IReadOnlyList<PermissionNeed> Needs { get; } =
    [
        Graph(IntakeAndGuard, "User.Read.All", "RoleManagement.Read.Directory", "GroupMember.Read.All"),
        Graph("1.a", "User-PasswordProfile.ReadWrite.All") with { DirectoryRoles = [UserAdministrator, PrivilegedAuthenticationAdministrator] },
        Graph("1.b", "User.RevokeSessions.All"),
        Graph("1.c", "User.EnableDisableAccount.All") with { DirectoryRoles = [PrivilegedAuthenticationAdministrator] },
        Graph("1.d", "UserAuthenticationMethod.ReadWrite.All"),
        Graph("1.e", "Policy.Read.All", "Policy.ReadWrite.ConditionalAccess", "AuditLog.Read.All"),
        Graph("1.f", "RoleManagement.ReadWrite.Directory", "RoleAssignmentSchedule.ReadWrite.Directory", "RoleEligibilitySchedule.ReadWrite.Directory", "GroupMember.ReadWrite.All"),
        Graph("1.risk", "IdentityRiskyUser.ReadWrite.All"),

        Graph(ApplicationIntake, "Application.Read.All"),
        Graph("2.a", "Application.ReadWrite.All", "Directory.Read.All", "AuditLog.Read.All"),
        Graph("2.b", "AppRoleAssignment.ReadWrite.All", "DelegatedPermissionGrant.ReadWrite.All", "Application.ReadWrite.All"),
        Graph("2.c", "Application.ReadWrite.All"),
        Graph("2.d", "RoleManagement.ReadWrite.Directory", "RoleAssignmentSchedule.ReadWrite.Directory", "RoleEligibilitySchedule.ReadWrite.Directory"),
        Graph("2.e", "RoleManagement.ReadWrite.Directory", "Application.Read.All"),
        Graph("2.f", "Application.ReadWrite.All"),
        Graph("2.g", "Policy.ReadWrite.Authorization", "Policy.ReadWrite.ConsentRequest", "User.Read.All"),

        Exchange("4.a"),
        Exchange("4.b"),
        Exchange("4.c"),
        Exchange("5.a", "MailboxSettings.ReadWrite"),
        Exchange("5.b"),
        Exchange("5.c", "User.EnableDisableAccount.All", "User.Read.All"),
        Exchange("5.d"),
        Exchange("5.e"),
        Exchange("5.f"),
        Exchange(ExchangeAll),

        Graph(IdentityProtectionPolling, "IdentityRiskEvent.Read.All", "IdentityRiskyUser.Read.All"),
    ];

    private static readonly FrozenDictionary<string, PermissionNeed> ByConsumer = Needs.ToFrozenDictionary(n => n.Consumer, StringComparer.OrdinalIgnoreCase);

    /// <summary>The Graph application permissions to grant: every need's, once, sorted.</summary>
    public static IReadOnlyList<string> GraphApplicationPermissions { get; } =
        [.. Needs.SelectMany(n => n.GraphApplicationPermissions).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Whether any need uses Exchange Online (then Exchange.ManageAsApp is granted).</summary>
    public static bool NeedsExchange { get; } = Needs.Any(n => n.ExchangeManageAsApp);

    /// <summary>The directory roles to assign: every need's, once.</summary>
    public static IReadOnlyList<DirectoryRoleNeed> DirectoryRoles { get; } =
        [.. Needs.SelectMany(n => n.DirectoryRoles).Distinct().OrderBy(r => r.DisplayName, StringComparer.Ordinal)];

    /// <summary>What the action needs; null for an action outside Entra and Exchange (Case 3: Azure RBAC).</summary>
    public static PermissionNeed? For(ActionId id) => ByConsumer.GetValueOrDefault(id.Value);

    /// <summary>Who uses a permission (Graph permission name or Exchange.ManageAsApp), in manifest order.</summary>
    public static IReadOnlyList<string> ConsumersOf(string permission) =>
        [.. Needs.Where(n => n.ApplicationPermissions.Contains(permission, StringComparer.Ordinal)).Select(n => n.Consumer)];

    private static PermissionNeed Graph(string consumer, params string[] permissions) => new(consumer, permissions, ExchangeManageAsApp: false, []);

    private static PermissionNeed Exchange(string consumer, params string[] graphPermissions) =>
        new(consumer, graphPermissions, ExchangeManageAsApp: true, [ExchangeAdministrator]);
}
