namespace ResponseFunctions.SimulatedTenant;

/// <summary>How the simulated tenant throttles and slows requests once <see cref="TenantThrottle.Enable"/> is called (off by default).</summary>
/// <param name="Size">Selects the application+tenant resource-unit quota (3,500 / 5,000 / 8,000 per 10 s).</param>
/// <param name="Latency">Added to every request, admitted or throttled, as a service round trip would be.</param>
public sealed record ThrottlingOptions(TenantSize Size = TenantSize.Large, TimeSpan Latency = default);
