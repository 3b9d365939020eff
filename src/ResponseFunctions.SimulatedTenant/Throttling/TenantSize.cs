namespace ResponseFunctions.SimulatedTenant;

/// <summary>
/// Graph's identity and access tenant sizes: S under 50 users, M 50 to 500, L above 500.
/// Source: Microsoft Graph service-specific throttling limits, "Identity and access service limits" (learn.microsoft.com/graph/throttling-limits).
/// </summary>
public enum TenantSize
{
    Small,
    Medium,
    Large,
}
