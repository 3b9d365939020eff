namespace ResponseFunctions.SimulatedTenant;

/// <summary>
/// Makes matching requests fail or slow down. <paramref name="StatusCode"/> 0 with a <paramref name="Latency"/> only delays.
/// <paramref name="PathContains"/> is matched case-insensitively against the percent-decoded path and query.
/// Each matching request consumes one of <paramref name="Times"/> (use int.MaxValue for "always").
/// </summary>
public sealed record FaultRule(
    string? Method,
    string PathContains,
    int StatusCode = 429,
    TimeSpan? RetryAfter = null,
    int Times = 1,
    TimeSpan? Latency = null);
