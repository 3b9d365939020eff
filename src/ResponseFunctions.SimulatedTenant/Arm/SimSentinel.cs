namespace ResponseFunctions.SimulatedTenant;

/// <summary>Microsoft Sentinel as Azure Resource Manager serves it: the incidents a scenario declares and the comments written on them.</summary>
public sealed class SimSentinel
{
    public List<SimSentinelIncident> Incidents { get; set; } = [];
    public List<SimIncidentComment> Comments { get; set; } = [];
}

public sealed class SimSentinelIncident
{
    /// <summary>The incident's ARM id (…/providers/Microsoft.SecurityInsights/Incidents/{guid}).</summary>
    public string Id { get; set; } = "";
    public long IncidentNumber { get; set; }
    public string Title { get; set; } = "";
}

public sealed class SimIncidentComment
{
    /// <summary>The incident's ARM id.</summary>
    public string IncidentId { get; set; } = "";

    /// <summary>The comment's name (a GUID chosen by the client).</summary>
    public string Name { get; set; } = "";
    public string Message { get; set; } = "";
    public DateTimeOffset CreatedTimeUtc { get; set; }
    public DateTimeOffset LastModifiedTimeUtc { get; set; }
    public string Etag { get; set; } = "";

    /// <summary>How many PUTs wrote it: 1 unless a client retried under the same id.</summary>
    public int Writes { get; set; }
}

/// <summary>An Identity Protection risk detection (Graph riskDetection), enum values as Graph's strings.</summary>
public sealed class SimRiskDetection
{
    public string Id { get; set; } = "";
    public string UserId { get; set; } = "";
    public string? UserPrincipalName { get; set; }
    public string? UserDisplayName { get; set; }
    public string RiskEventType { get; set; } = "";

    /// <summary>low|medium|high|hidden|none.</summary>
    public string RiskLevel { get; set; } = "none";

    /// <summary>atRisk|dismissed|remediated|confirmedSafe|confirmedCompromised|none.</summary>
    public string RiskState { get; set; } = "atRisk";
    public string RiskDetail { get; set; } = "none";
    public string DetectionTimingType { get; set; } = "realtime";
    public string Activity { get; set; } = "signin";
    public string Source { get; set; } = "IdentityProtection";
    public DateTimeOffset DetectedDateTime { get; set; }
    public DateTimeOffset? ActivityDateTime { get; set; }
    public DateTimeOffset? LastUpdatedDateTime { get; set; }
    public string? IpAddress { get; set; }
    public string? City { get; set; }
    public string? CountryOrRegion { get; set; }
}
