namespace ResponseFunctions.SimulatedTenant;

/// <summary>
/// Makes matching requests fail or slow down. <paramref name="StatusCode"/> 0 with a <paramref name="Latency"/> only delays.
/// <paramref name="PathContains"/> is matched case-insensitively against the percent-decoded path and query.
/// Each matching request consumes one of <paramref name="Times"/> (use int.MaxValue for "always").
/// <paramref name="Cmdlet"/>, when set, narrows the rule to Exchange Online InvokeCommand calls of that cmdlet: every
/// cmdlet shares one URL (<c>/InvokeCommand</c>), so the path alone cannot aim a fault at <c>Set-Mailbox</c> and spare
/// the <c>Get-Mailbox</c> that plans it.
/// </summary>
public sealed record FaultRule(
    string? Method,
    string PathContains,
    int StatusCode = 429,
    TimeSpan? RetryAfter = null,
    int Times = 1,
    TimeSpan? Latency = null,
    string? Cmdlet = null)
{
    /// <summary>A rule for one Exchange Online cmdlet, whatever the tenant id in the InvokeCommand URL.</summary>
    public static FaultRule ForCmdlet(string cmdlet, int statusCode = 429, TimeSpan? retryAfter = null, int times = 1, TimeSpan? latency = null) =>
        new("POST", "/InvokeCommand", statusCode, retryAfter, times, latency, cmdlet);
}
