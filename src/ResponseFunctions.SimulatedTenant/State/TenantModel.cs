using System.Text.Json.Nodes;

namespace ResponseFunctions.SimulatedTenant;

/// <summary>
/// The whole simulated directory. It is both the scenario file format and the state export format, so a human can
/// diff a scenario against the state a drill left behind. Only touch it through <see cref="TenantState"/>.
/// </summary>
public sealed class TenantModel
{
    public string TenantId { get; set; } = "";
    public string Domain { get; set; } = "";
    public string? Description { get; set; }

    /// <summary>Whether the tenant holds Entra ID P2; without it every /identityProtection call answers 403.</summary>
    public bool IdentityProtectionP2 { get; set; } = true;

    public List<SimUser> Users { get; set; } = [];
    public List<SimGroup> Groups { get; set; } = [];
    public List<SimRoleDefinition> RoleDefinitions { get; set; } = [];
    public List<SimRoleAssignment> RoleAssignments { get; set; } = [];
    public List<SimRoleEligibilitySchedule> RoleEligibilitySchedules { get; set; } = [];

    /// <summary>Every eligibility schedule request received, kept as an audit trail of what a playbook asked for.</summary>
    public List<SimRoleEligibilityScheduleRequest> RoleEligibilityScheduleRequests { get; set; } = [];

    /// <summary>Ids of the active assignments removed through roleAssignmentScheduleRequests (adminRemove).</summary>
    public List<string> RoleAssignmentScheduleRequests { get; set; } = [];

    /// <summary>Named locations kept in Graph's own JSON shape (polymorphic), so PATCH can merge property by property.</summary>
    public List<JsonObject> NamedLocations { get; set; } = [];

    /// <summary>Conditional Access policies kept in Graph's own JSON shape: the object is deep and only the SDK models know it.</summary>
    public List<JsonObject> ConditionalAccessPolicies { get; set; } = [];

    public List<SimSignIn> SignIns { get; set; } = [];

    public List<Graph.AuditLogs.SimDirectoryAudit> DirectoryAudits { get; set; } = [];

    /// <summary>Messages (Adaptive Cards) posted to the Teams webhook plane, in order received.</summary>
    public List<Teams.SimTeamsMessage> TeamsMessages { get; set; } = [];

    /// <summary>Messages a Workflows trigger accepted (202) but the flow could not post (too large): its run history.</summary>
    public List<Teams.SimFlowFailure> TeamsFlowFailures { get; set; } = [];
    public List<SimRiskyUser> RiskyUsers { get; set; } = [];
    public List<SimRiskDetection> RiskDetections { get; set; } = [];

    /// <summary>Microsoft Sentinel incidents and their comments (the ARM plane).</summary>
    public SimSentinel Sentinel { get; set; } = new();

    /// <summary>Case 3: Azure resources (ARM), Key Vault secrets, the Log Analytics workspace's SecurityAlert rows.</summary>
    public AzureCloud.SimAzure Azure { get; set; } = new();

    /// <summary>Exchange Online (the /adminapi InvokeCommand plane and Graph messageRules).</summary>
    public SimExchange Exchange { get; set; } = new();

    /// <summary>Case 2: app registrations of this tenant, every app's service principal, app role assignments and delegated grants.</summary>
    public List<SimApplication> Applications { get; set; } = [];
    public List<SimServicePrincipal> ServicePrincipals { get; set; } = [];
    public List<SimAppRoleAssignment> AppRoleAssignments { get; set; } = [];
    public List<SimOAuth2PermissionGrant> OAuth2PermissionGrants { get; set; } = [];

    /// <summary>Case 2.g: the tenant's consent settings, kept in Graph's JSON shape (singletons that Graph merges on PATCH / replaces on PUT).</summary>
    public JsonObject? AuthorizationPolicy { get; set; }
    public JsonObject? AdminConsentRequestPolicy { get; set; }

    public SimUser? FindUser(string idOrUpn) =>
        Users.FirstOrDefault(u => string.Equals(u.Id, idOrUpn, StringComparison.OrdinalIgnoreCase)
                               || string.Equals(u.UserPrincipalName, idOrUpn, StringComparison.OrdinalIgnoreCase));

    public SimGroup? FindGroup(string id) =>
        Groups.FirstOrDefault(g => string.Equals(g.Id, id, StringComparison.OrdinalIgnoreCase));

    public SimRoleDefinition? FindRoleDefinition(string id) =>
        RoleDefinitions.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase));
}
