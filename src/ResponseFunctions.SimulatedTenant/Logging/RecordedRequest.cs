namespace ResponseFunctions.SimulatedTenant;

/// <summary>
/// One request as the simulator saw it. <see cref="PathAndQuery"/> is percent-decoded (readable, and what fault rules
/// match on); <see cref="Body"/> has every "password" value replaced by "***".
/// </summary>
public sealed record RecordedRequest(DateTimeOffset At, string Method, string PathAndQuery, string? Body, int StatusCode);
