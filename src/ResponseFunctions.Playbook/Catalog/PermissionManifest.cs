using System.Collections.Frozen;

namespace ResponseFunctions.Playbook.Catalog;

/// <summary>An Entra built-in directory role (see <see cref="EntraRoles"/>). For built-in roles the role definition id is the template id.</summary>
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
/// the union of it and the README's permission tables say the same per action (tests compare them). Each action's need
/// is its catalog row's <see cref="ActionDescriptor.Grants"/>, never written here; only the steps every containment runs
/// besides its actions are. Every entry has a consumer (least privilege). Azure RBAC (Case 3) is the custom role of
/// infra/roles, not here.
/// </summary>
public static class PermissionManifest
{
    /// <summary>Microsoft Graph's application id (the resource service principal of every Graph permission).</summary>
    public const string GraphAppId = "00000003-0000-0000-c000-000000000000";

    /// <summary>Office 365 Exchange Online's application id. Source: "App-only authentication in Exchange Online PowerShell".</summary>
    public const string ExchangeAppId = "00000002-0000-0ff1-ce00-000000000000";

    public const string ExchangeManageAsApp = "Exchange.ManageAsApp";

    public static DirectoryRoleNeed UserAdministrator => EntraRoles.UserAdministrator;

    public static DirectoryRoleNeed PrivilegedAuthenticationAdministrator => EntraRoles.PrivilegedAuthenticationAdministrator;

    public static DirectoryRoleNeed ExchangeAdministrator => EntraRoles.ExchangeAdministrator;

    /// <summary>Steps every containment of a case runs besides its actions (README's "intake, guard", "intake", "all" rows).</summary>
    public const string IntakeAndGuard = "intake, guard";
    public const string ApplicationIntake = "intake (applications)";
    public const string IdentityProtectionPolling = "intake (Identity Protection polling)";
    public const string ExchangeAll = "all (Exchange)";

    /// <summary>The steps besides the actions, then every catalog action's grants, in the order `setup permissions` and the README list them.</summary>
    public static IReadOnlyList<PermissionNeed> Needs { get; } =
    [
        Graph(IntakeAndGuard, "User.Read.All", "RoleManagement.Read.Directory", "GroupMember.Read.All"),
        .. ActionsOf(CaseId.CompromisedAccount),
        Graph(ApplicationIntake, "Application.Read.All"),
        .. ActionsOf(CaseId.CompromisedAppIdentity),
        .. ActionsOf(CaseId.CompromisedAzureResource),
        .. ActionsOf(CaseId.SpamRelay),
        .. ActionsOf(CaseId.MailDataLeak),
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

    private static IEnumerable<PermissionNeed> ActionsOf(CaseId caseId) =>
        ActionCatalog.All.Where(a => a.Case == caseId).Select(a => a.Need).OfType<PermissionNeed>();

    private static PermissionNeed Graph(string consumer, params string[] permissions) => new(consumer, permissions, ExchangeManageAsApp: false, []);

    private static PermissionNeed Exchange(string consumer, params string[] graphPermissions) =>
        new(consumer, graphPermissions, ExchangeManageAsApp: true, [EntraRoles.ExchangeAdministrator]);
}
