namespace ResponseFunctions.SimulatedTenant.Throttling;

/// <summary>
/// One quota: <paramref name="capacity"/> units per <paramref name="window"/>, refilled continuously. Graph's identity
/// service says its throttling "is based on a token bucket algorithm" and that "only the requests exceeding the limits
/// will be throttled", so a refused request takes nothing. Not thread-safe: <see cref="TenantThrottle"/> locks.
/// </summary>
internal sealed class TokenBucket(string scope, string reason, double capacity, TimeSpan window, TimeProvider time)
{
    private readonly double _perSecond = capacity / window.TotalSeconds;
    private double _tokens = capacity;
    private DateTimeOffset _last = time.GetUtcNow();

    /// <summary>The x-ms-throttle-scope prefix (e.g. "Tenant_Application/ReadWrite").</summary>
    public string Scope { get; } = scope;

    /// <summary>The x-ms-throttle-information value (e.g. "WriteLimitExceeded").</summary>
    public string Reason { get; } = reason;

    public double Capacity { get; } = capacity;

    public TimeSpan Window { get; } = window;

    /// <summary>How long until <paramref name="cost"/> units are available; zero if they are now.</summary>
    public TimeSpan WaitFor(double cost)
    {
        Refill();
        return cost <= _tokens ? TimeSpan.Zero : TimeSpan.FromSeconds((cost - _tokens) / _perSecond);
    }

    public void Take(double cost) => _tokens -= cost;

    private void Refill()
    {
        // Wall-clock time (the tenant's TimeProvider), so a test's manual clock refills the quota.
        var now = time.GetUtcNow();
        if (now > _last)
        {
            _tokens = Math.Min(Capacity, _tokens + ((now - _last).TotalSeconds * _perSecond));
            _last = now;
        }
    }
}
