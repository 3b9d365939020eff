namespace ResponseFunctions.SimulatedTenant;

/// <summary>
/// One request as the simulator saw it. <see cref="PathAndQuery"/> is percent-decoded (readable, and what fault rules
/// match on); <see cref="Body"/> has every "password" value replaced by "***".
/// </summary>
public sealed record RecordedRequest(DateTimeOffset At, string Method, string PathAndQuery, string? Body, int StatusCode)
{
    /// <summary>For a request that came inside a JSON batch, the batch's request-id (the batch itself is logged as POST /v1.0/$batch); null otherwise.</summary>
    public string? Batch { get; init; }
}
