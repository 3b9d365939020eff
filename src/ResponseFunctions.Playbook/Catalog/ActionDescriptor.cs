namespace ResponseFunctions.Playbook.Catalog;

/// <summary>
/// One row of the catalog, the one place an action's facts are declared: what the sheet says of it (id, case,
/// priority, title), whether it needs approval and can be undone, the guard its changes pass and what the playbook
/// identity must hold to run it. The permission manifest, `setup permissions` and the README's tables are built from
/// or checked against these rows (PermissionConsistencyTests, CatalogDriftTests).
/// </summary>
/// <param name="Order">Position inside the case and priority, as the priority table lists it.</param>
/// <param name="Destructive">Changes the tenant in a way an analyst must approve (unless policy pre-approves it).</param>
/// <param name="Reversible">The journaled before-state is enough to restore what the action changed.</param>
/// <param name="Guard">The tenant guard the change runner checks at plan and at apply.</param>
/// <param name="Grants">Least-privilege Microsoft Graph application permissions, Exchange.ManageAsApp and directory
/// roles; null outside Entra and Exchange (Case 3 runs on Azure RBAC, see <paramref name="Note"/>).</param>
/// <param name="Note">What the grants alone do not say (a licence, a role only some targets need, Azure RBAC).</param>
/// <param name="FromSheet">False for the follow-up steps the playbook adds to the sheet's actions.</param>
public sealed record ActionDescriptor(
    ActionId Id,
    CaseId Case,
    Priority Priority,
    int Order,
    string Title,
    TargetKind Target,
    bool Destructive,
    bool Reversible,
    ActionGuard Guard,
    Grants? Grants,
    string? Note = null,
    bool FromSheet = true)
{
    /// <summary>The grants as the permission manifest lists them, consumer = this action's id.</summary>
    public PermissionNeed? Need => Grants is null ? null : new(Id.Value, Grants.GraphApplicationPermissions, Grants.ExchangeManageAsApp, Grants.DirectoryRoles);

    /// <summary>The permissions in words (the grants, then the note in parentheses).</summary>
    public string Permissions =>
        string.Join(", ", Need?.ApplicationPermissions ?? []) is { Length: > 0 } granted
            ? Note is null ? granted : $"{granted} ({Note})"
            : Note ?? string.Empty;

    /// <summary>The directory roles in words; null when none.</summary>
    public string? DirectoryRole => Grants is { DirectoryRoles.Count: > 0 } ? string.Join(", ", Grants.DirectoryRoles.Select(r => r.DisplayName)) : null;
}

/// <summary>What the playbook identity must hold for one action: Graph application permissions, Exchange.ManageAsApp, directory roles.</summary>
public sealed record Grants(IReadOnlyList<string> GraphApplicationPermissions, bool ExchangeManageAsApp, IReadOnlyList<DirectoryRoleNeed> DirectoryRoles)
{
    public static Grants Graph(params string[] permissions) => new(permissions, ExchangeManageAsApp: false, []);

    /// <summary>Exchange Online's admin API (Exchange.ManageAsApp with the Exchange Administrator role), and any Graph permissions besides.</summary>
    public static Grants Exchange(params string[] graphPermissions) => new(graphPermissions, ExchangeManageAsApp: true, [EntraRoles.ExchangeAdministrator]);
}

/// <summary>The Entra built-in roles the playbook identity may hold. For built-in roles the role definition id is the template id.</summary>
/// <remarks>Source: "Microsoft Entra built-in roles" (learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference).</remarks>
public static class EntraRoles
{
    public static DirectoryRoleNeed UserAdministrator { get; } = new("User Administrator", "fe930be7-5e62-47db-91af-98c3a49a38b1");

    public static DirectoryRoleNeed PrivilegedAuthenticationAdministrator { get; } = new("Privileged Authentication Administrator", "7be44c8a-adaf-4e2a-84d6-ab2649e08a13");

    public static DirectoryRoleNeed ExchangeAdministrator { get; } = new("Exchange Administrator", "29232cdf-9323-42fd-ade2-1d097af3e4de");
}
