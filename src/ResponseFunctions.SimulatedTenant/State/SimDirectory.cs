namespace ResponseFunctions.SimulatedTenant;

public sealed class SimGroup
{
    public string Id { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string? Description { get; set; }
    public bool IsAssignableToRole { get; set; }
    public bool SecurityEnabled { get; set; } = true;
    public bool MailEnabled { get; set; }

    /// <summary>Ids of member users or groups.</summary>
    public List<string> Members { get; set; } = [];
}

/// <summary>A directory role definition; built-ins use their template id as id, as Graph does.</summary>
public sealed class SimRoleDefinition
{
    public string Id { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string? Description { get; set; }
    public bool IsBuiltIn { get; set; } = true;
    public bool IsEnabled { get; set; } = true;
    public bool IsPrivileged { get; set; }
}

public sealed class SimRoleAssignment
{
    public string Id { get; set; } = "";
    public string PrincipalId { get; set; } = "";
    public string RoleDefinitionId { get; set; } = "";
    public string DirectoryScopeId { get; set; } = "/";

    /// <summary>PIM's view of it: "Assigned" (admin-assigned) or "Activated" (a PIM eligibility activated).</summary>
    public string AssignmentType { get; set; } = "Assigned";

    /// <summary>When a time-bound assignment ends; null for a permanent one.</summary>
    public DateTimeOffset? EndDateTime { get; set; }

    /// <summary>Activated or time-bound: PIM manages it through a schedule, so only roleAssignmentScheduleRequests can remove it.</summary>
    public bool FromSchedule => AssignmentType == "Activated" || EndDateTime is not null;
}

public sealed class SimRoleEligibilitySchedule
{
    public string Id { get; set; } = "";
    public string PrincipalId { get; set; } = "";
    public string RoleDefinitionId { get; set; } = "";
    public string DirectoryScopeId { get; set; } = "/";
    public string MemberType { get; set; } = "Direct";
    public string Status { get; set; } = "Provisioned";
    public DateTimeOffset? StartDateTime { get; set; }
    public DateTimeOffset? CreatedDateTime { get; set; }
}

public sealed class SimRoleEligibilityScheduleRequest
{
    public string Id { get; set; } = "";
    public string Action { get; set; } = "";
    public string Status { get; set; } = "";
    public string PrincipalId { get; set; } = "";
    public string RoleDefinitionId { get; set; } = "";
    public string DirectoryScopeId { get; set; } = "/";
    public string? Justification { get; set; }
    public string? TargetScheduleId { get; set; }
    public DateTimeOffset CreatedDateTime { get; set; }
}

public sealed class SimSignIn
{
    public string Id { get; set; } = "";
    public DateTimeOffset CreatedDateTime { get; set; }
    public string UserId { get; set; } = "";
    public string UserPrincipalName { get; set; } = "";
    public string? UserDisplayName { get; set; }
    public string? AppDisplayName { get; set; }

    /// <summary>The client application signed in to (its appId): what an application's sign-ins are filtered on.</summary>
    public string? AppId { get; set; }
    public string? ClientAppUsed { get; set; }
    public string IpAddress { get; set; } = "";
    public string? City { get; set; }
    public string? CountryOrRegion { get; set; }

    /// <summary>0 for success, as in Graph's signIn.status.errorCode.</summary>
    public int ErrorCode { get; set; }
    public string? FailureReason { get; set; }
}

public sealed class SimRiskyUser
{
    /// <summary>Same as the user's id.</summary>
    public string Id { get; set; } = "";
    public string? UserPrincipalName { get; set; }
    public string? UserDisplayName { get; set; }

    /// <summary>Graph enum values as strings: low|medium|high|none, atRisk|confirmedCompromised|remediated|dismissed|none, ...</summary>
    public string RiskLevel { get; set; } = "none";
    public string RiskState { get; set; } = "none";
    public string RiskDetail { get; set; } = "none";
    public DateTimeOffset? RiskLastUpdatedDateTime { get; set; }
}
