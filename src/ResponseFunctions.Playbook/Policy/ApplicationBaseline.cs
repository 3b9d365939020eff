namespace ResponseFunctions.Playbook.Policy;

/// <summary>
/// What is legitimate for one application (Case 2), captured before an incident (see <c>baseline capture</c>). Whatever
/// the application has beyond it is treated as the attacker's when the incident names the application. All ids are
/// object ids except <see cref="AppId"/>, <see cref="Credentials"/> (key ids / credential ids) and permission names.
/// </summary>
public sealed class ApplicationBaseline
{
    /// <summary>The application (client) id.</summary>
    public string AppId { get; set; } = string.Empty;

    /// <summary>For people reading the configuration; not used to match.</summary>
    public string? DisplayName { get; set; }

    /// <summary>Owners of the app registration (2.f).</summary>
    public List<string> Owners { get; set; } = [];

    /// <summary>Owners of the service principal (enterprise application) (2.f).</summary>
    public List<string> ServicePrincipalOwners { get; set; } = [];

    /// <summary>Holders of roles scoped to the app registration, directoryScopeId "/{application object id}" (2.e).</summary>
    public List<RoleBaselineEntry> ScopedRoles { get; set; } = [];

    /// <summary>
    /// Credentials 2.c keeps: certificate or secret key ids, federated credential ids. Keep a secret only if its value
    /// cannot have been read by the attacker; a certificate's private key stays with its owner, so it usually can be kept.
    /// </summary>
    public List<string> Credentials { get; set; } = [];

    /// <summary>Users, groups or service principals that may be assigned to the app (2.b).</summary>
    public List<string> AssignedPrincipals { get; set; } = [];

    /// <summary>Delegated permissions (scope values such as "User.Read") the app may hold; a grant with any other scope is revoked (2.b).</summary>
    public List<string> DelegatedPermissions { get; set; } = [];

    /// <summary>Application permissions (app role values such as "User.Read.All") the app may hold (2.b).</summary>
    public List<string> ApplicationPermissions { get; set; } = [];
}

/// <summary>2.g: what users may still consent to, and the admin consent workflow's reviewers.</summary>
public sealed class ConsentHardening
{
    /// <summary>The permission grant policy users keep for themselves (replaces every ManagePermissionGrantsForSelf.* entry).</summary>
    public string UserConsentPolicy { get; set; } = "microsoft-user-default-low";

    /// <summary>Object ids of the users who review admin consent requests. Required when 2.g runs: the workflow cannot be enabled without reviewers.</summary>
    public List<string> Reviewers { get; set; } = [];

    /// <summary>How long a consent request stays open (1 to 30 days, as in the Entra admin center).</summary>
    public int RequestDurationInDays { get; set; } = 30;
}
