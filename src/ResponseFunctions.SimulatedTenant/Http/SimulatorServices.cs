namespace ResponseFunctions.SimulatedTenant.Http;

/// <summary>The pieces of one running simulator that the HTTP pipeline needs.</summary>
internal sealed record SimulatorServices(TenantState State, RequestLog Requests, FaultInjector Faults, TimeProvider Time)
{
    public TenantThrottle Throttle { get; } = new(Time);
}
