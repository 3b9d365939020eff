namespace ResponseFunctions.Playbook.Policy;

/// <summary>
/// The responder's rules of engagement, bound from configuration section "Containment" and validated at start-up
/// (see <see cref="ContainmentPolicyValidator"/>). Defaults are the safe ones: every destructive action waits for
/// a person, Conditional Access changes are report-only, generated passwords are discarded.
/// </summary>
public sealed class ContainmentPolicy
{
    public const string SectionName = "Containment";

    /// <summary>How long a step waits for a decision before it times out (and is not applied). Default 30 minutes.</summary>
    public TimeSpan ApprovalTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Sheet ids of destructive actions that run without asking (e.g. "1.b"). Empty by default.</summary>
    public List<string> PreApprovedActions { get; set; } = [];

    /// <summary>
    /// Tier-0 actions that need two distinct approvers: "1.e" and "2.g" (tenant-wide policies), "1.f" (only when it
    /// removes Global Administrator). Empty by default so a lone on-call analyst can still contain at night;
    /// recommended: ["1.e", "1.f", "2.g"]. See <see cref="Approval.TwoPersonRule"/>.
    /// </summary>
    public List<string> TwoPersonActions { get; set; } = [];

    /// <summary>
    /// What a step does when nobody decides in time, per sheet id ("1.b" or "1b"): Abort (default for every action)
    /// or Apply for the listed severities, e.g. { "1.b": { "OnTimeout": "Apply", "Severities": ["High"] } }.
    /// </summary>
    public Dictionary<string, TimeoutRule> TimeoutPolicy { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Object ids never changed by any action and excluded from every blocking policy: the break-glass accounts.</summary>
    public List<string> ProtectedPrincipals { get; set; } = [];

    /// <summary>The object id of the identity the playbook runs as (its service principal, or the operator running a drill live). Never a target.</summary>
    public string? PlaybookIdentityObjectId { get; set; }

    /// <summary>
    /// The client id (appId) of the Entra application approvers sign in with (App Service Authentication). 2.a, 2.b and
    /// 2.f never change it or its service principal, so a containment can never disable approval sign-in or remove the
    /// approvers' Containment.Approver assignments. The Functions host fills it from Approvals:ClientId or
    /// WEBSITE_AUTH_CLIENT_ID when it is not set, so it is protected by default.
    /// </summary>
    public string? ApprovalApplicationId { get; set; }

    /// <summary>Target caps for every entry path, and the mass-compromise path above them (always a person). See <see cref="Policy.IntakeLimits"/>.</summary>
    public IntakeLimits IntakeLimits { get; set; } = new();

    /// <summary>How the journal names the playbook when it acts.</summary>
    public string ActorName { get; set; } = "ResponseFunctions";

    /// <summary>Who may hold which directory role (1.f): assignments outside it are illegitimate.</summary>
    public List<RoleBaselineEntry> RoleBaseline { get; set; } = [];

    public ConditionalAccessHardening ConditionalAccess { get; set; } = new();

    /// <summary>Case 2: the known-good configuration of each application, by appId. An application the incident names without a baseline keeps nothing.</summary>
    public List<ApplicationBaseline> ApplicationBaselines { get; set; } = [];

    /// <summary>2.g: user consent restricted to low-impact permissions, and who reviews the admin consent requests.</summary>
    public ConsentHardening Consent { get; set; } = new();

    /// <summary>Cases 4 and 5 (Exchange Online): baselines, allow-lists and hardening values.</summary>
    public MailContainment Mail { get; set; } = new();

    /// <summary>Case 3 (Azure resources): forensic access kept open, VM options, generated Key Vault secrets, the alert re-check.</summary>
    public ResourceContainment Resources { get; set; } = new();

    /// <summary>What becomes of the password 1.a generates. Only <see cref="PasswordDelivery.Discard"/> exists: the user recovers through the helpdesk.</summary>
    public PasswordDelivery PasswordDelivery { get; set; } = PasswordDelivery.Discard;

    /// <summary>Whether <see cref="RoleBaseline"/> lets <paramref name="principalId"/> hold the role (1.f, 2.d).</summary>
    public bool AllowsRole(string roleDefinitionId, string principalId) =>
        RoleBaseline.Any(e =>
            string.Equals(e.RoleDefinitionId, roleDefinitionId, StringComparison.OrdinalIgnoreCase)
            && e.Principals.Contains(principalId, StringComparer.OrdinalIgnoreCase));
}

/// <summary>One action's behaviour on approval timeout.</summary>
public sealed class TimeoutRule
{
    public Approval.TimeoutAction OnTimeout { get; set; } = Approval.TimeoutAction.Abort;

    /// <summary>The incident severities for which <see cref="OnTimeout"/> Apply holds; required (non-empty) with Apply.</summary>
    public List<Requests.IncidentSeverity> Severities { get; set; } = [];
}

/// <summary>The legitimate holders of one directory role, active or eligible.</summary>
public sealed class RoleBaselineEntry
{
    /// <summary>Role definition id (the template id for built-in roles).</summary>
    public string RoleDefinitionId { get; set; } = string.Empty;

    /// <summary>For people reading the configuration; not used to match.</summary>
    public string? RoleName { get; set; }

    /// <summary>Object ids of the users, groups or service principals allowed to hold the role.</summary>
    public List<string> Principals { get; set; } = [];
}

/// <summary>1.e: where the attacker's IPs and countries go. The same location and policy are reused and extended by later incidents.</summary>
public sealed class ConditionalAccessHardening
{
    /// <summary>False (default): the block policy is created report-only, to be switched on after its sign-in impact is read.</summary>
    public bool Enforce { get; set; }

    public string IpLocationName { get; set; } = "ResponseFunctions - attacker IP addresses";

    public string CountryLocationName { get; set; } = "ResponseFunctions - blocked countries";

    public string PolicyName { get; set; } = "ResponseFunctions - block attacker locations";

    /// <summary>
    /// Ranges never blocked, whatever an incident says, besides the tenant's trusted named locations: the approvers'
    /// and the playbook's egress addresses (CIDR), so a containment can never cut off the people who contain.
    /// </summary>
    public List<string> NeverBlock { get; set; } = [];

    /// <summary>
    /// Named locations (display name or id) the playbook treats as trusted besides those the tenant marks trusted: the
    /// countries of a country location here (the approvers' and the organisation's own) are never blocked, nor the
    /// ranges of an IP location. Needed for countries: Graph's countryNamedLocation has no isTrusted flag.
    /// </summary>
    // Source: Microsoft Graph v1.0, "countryNamedLocation resource type" (countriesAndRegions, countryLookupMethod,
    // includeUnknownCountriesAndRegions; isTrusted exists only on ipNamedLocation).
    public List<string> TrustedLocations { get; set; } = [];

    /// <summary>IPv4 addresses (IPv6: /64 networks) one incident may add to the block; above it the step needs a second approver.</summary>
    public double MaxAddressesPerIncident { get; set; } = 65_536;

    /// <summary>Addresses the standing block location may hold after this incident; above it the step needs a second approver.</summary>
    public double MaxAddressesInPolicy { get; set; } = 1_048_576;
}

public enum PasswordDelivery
{
    /// <summary>The password is used once and forgotten; nobody, the attacker included, knows it. The user gets a new one from the helpdesk.</summary>
    Discard,
}
