using System.Security.Cryptography;
using System.Text;
using ResponseFunctions.SimulatedTenant.Throttling;

namespace ResponseFunctions.SimulatedTenant;

/// <summary>
/// Microsoft Graph's identity and access throttling, and a lower budget for Exchange Online's admin API, applied by the
/// simulated tenant once <see cref="Enable"/> is called. Off by default: scenarios and tests that do not ask for it are
/// never throttled nor slowed.
/// Source: Microsoft Graph service-specific throttling limits, "Identity and access service limits"
/// (learn.microsoft.com/graph/throttling-limits): per application+tenant 3,500 / 5,000 / 8,000 resource units per
/// 10 s (S / M / L) and 3,000 writes per 2 min 30 s; per tenant, all applications, 18,000 writes per 5 min; a
/// throttled request is answered 429 with Retry-After, x-ms-throttle-scope and x-ms-throttle-information.
/// The per-application limits across all tenants (150,000 units per 20 s, 70,000 writes per 5 min) are looser than the
/// application+tenant ones for a single tenant, so they cannot bind here and are not modelled.
/// The simulator checks no token: it tells applications apart by their bearer token.
/// </summary>
public sealed class TenantThrottle(TimeProvider time)
{
    /// <summary>Application+tenant write quota: 3,000 writes per 2 min 30 s (same source).</summary>
    public const int AppTenantWrites = 3_000;

    public static readonly TimeSpan AppTenantWriteWindow = TimeSpan.FromSeconds(150);

    /// <summary>Tenant write quota, all applications together: 18,000 writes per 5 min (same source).</summary>
    public const int TenantWrites = 18_000;

    public static readonly TimeSpan TenantWriteWindow = TimeSpan.FromMinutes(5);

    /// <summary>
    /// ASSUMPTION: Microsoft documents no request rate for the Exchange Online admin API (POST
    /// /adminapi/beta/{tenant}/InvokeCommand, what the ExchangeOnlineManagement module calls); Exchange Online
    /// PowerShell is known to throttle far below Graph's directory. We budget 600 cmdlets per 5 min per
    /// application+tenant (2 per second sustained) until a published figure replaces it.
    /// </summary>
    public const int ExchangeCommands = 600;

    public static readonly TimeSpan ExchangeCommandWindow = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Identity protection and conditional access: 1 request per second per tenant, all applications together, for
    /// riskDetection, riskyUser, riskyUserHistoryItem, namedLocation (ip, country) and conditionalAccessPolicy; their
    /// 429s carry no Retry-After. Source: Microsoft Graph service-specific throttling limits, "Identity protection and
    /// conditional access service limits" (learn.microsoft.com/graph/throttling-limits).
    /// </summary>
    public const int IdentityProtectionRequestsPerSecond = 1;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, AppBuckets> _apps = new(StringComparer.Ordinal);
    private TokenBucket? _tenantWrites;
    private TokenBucket? _identityProtection;
    private int _throttled;

    /// <summary>The active settings, or null when the tenant neither throttles nor slows requests.</summary>
    public ThrottlingOptions? Options { get; private set; }

    /// <summary>Requests answered 429 by this model since it was enabled.</summary>
    public int Throttled => Volatile.Read(ref _throttled);

    /// <summary>The per-request latency in force (zero when off).</summary>
    public TimeSpan Latency => Options?.Latency ?? TimeSpan.Zero;

    /// <summary>The application+tenant resource-unit quota per 10 s for a tenant size (same source).</summary>
    public static int ResourceUnitsPer10Seconds(TenantSize size) => size switch
    {
        TenantSize.Small => 3_500,
        TenantSize.Medium => 5_000,
        _ => 8_000,
    };

    /// <summary>
    /// The least time one application can take to make <paramref name="writes"/> identity writes in one tenant: every
    /// quota starts full, then refills at its rate. The application+tenant write quota binds first (20/s against 60/s).
    /// </summary>
    public static TimeSpan MinimumTimeForWrites(int writes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(writes);
        var appTenant = Math.Max(0, writes - AppTenantWrites) / (AppTenantWrites / AppTenantWriteWindow.TotalSeconds);
        var tenant = Math.Max(0, writes - TenantWrites) / (TenantWrites / TenantWriteWindow.TotalSeconds);
        return TimeSpan.FromSeconds(Math.Max(appTenant, tenant));
    }

    /// <summary>Starts throttling (and slowing) with full quotas, as a tenant that has been quiet.</summary>
    public void Enable(ThrottlingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Latency, TimeSpan.Zero);
        lock (_gate)
        {
            Options = options;
            _apps.Clear();
            _tenantWrites = new TokenBucket("Tenant/Write", "WriteLimitExceeded", TenantWrites, TenantWriteWindow, time);
            _identityProtection = new TokenBucket("Tenant/ReadWrite", "RequestLimitExceeded", IdentityProtectionRequestsPerSecond, TimeSpan.FromSeconds(1), time);
            _throttled = 0;
        }
    }

    public void Disable()
    {
        lock (_gate)
        {
            Options = null;
            _apps.Clear();
            _tenantWrites = null;
            _identityProtection = null;
        }
    }

    /// <summary>
    /// The least time any number of applications can take to make <paramref name="requests"/> identity protection or
    /// conditional access requests in one tenant (the quota starts with one request, then 1 per second).
    /// </summary>
    public static TimeSpan MinimumTimeForIdentityProtection(int requests) =>
        TimeSpan.FromSeconds(Math.Max(0, requests - IdentityProtectionRequestsPerSecond) / (double)IdentityProtectionRequestsPerSecond);

    /// <summary>
    /// Admits an identity protection or conditional access request (riskyUsers, riskDetections, namedLocations,
    /// conditionalAccess policies) or refuses it, without a Retry-After as the service does; null when admitted or off.
    /// </summary>
    public ThrottleRefusal? AdmitIdentityProtection()
    {
        lock (_gate)
        {
            if (Options is null || _identityProtection is null)
            {
                return null;
            }

            var refusal = TakeAll(Guid.Empty, [(_identityProtection, 1d)]);
            return refusal is null ? null : refusal with { RetryAfter = null, Scope = _identityProtection.Scope };
        }
    }

    /// <summary>Whether a Graph v1.0 path (split after "/v1.0/") is one of identity protection's or conditional access's.</summary>
    public static bool IsIdentityProtection(IReadOnlyList<string> segments) =>
        segments.Count > 0 && (string.Equals(segments[0], "identityProtection", StringComparison.OrdinalIgnoreCase)
            || (segments.Count > 1 && string.Equals(segments[0], "identity", StringComparison.OrdinalIgnoreCase)
                && string.Equals(segments[1], "conditionalAccess", StringComparison.OrdinalIgnoreCase)));

    /// <summary>Admits a Graph identity request (taking its cost) or says how long to wait; null when admitted or when off.</summary>
    public ThrottleRefusal? AdmitGraph(string bearerToken, GraphRequestCost cost)
    {
        lock (_gate)
        {
            if (Options is null || _tenantWrites is null)
            {
                return null;
            }

            var app = AppFor(bearerToken);
            List<(TokenBucket, double)> buckets = [(app.Units, cost.ResourceUnits)];
            if (cost.Writes > 0)
            {
                buckets.Add((app.Writes, cost.Writes));
                buckets.Add((_tenantWrites, cost.Writes));
            }

            return TakeAll(app.Id, buckets);
        }
    }

    /// <summary>Admits one Exchange Online admin API command or says how long to wait; null when admitted or when off.</summary>
    public ThrottleRefusal? AdmitExchange(string bearerToken)
    {
        lock (_gate)
        {
            if (Options is null)
            {
                return null;
            }

            var app = AppFor(bearerToken);
            return TakeAll(app.Id, [(app.ExchangeCommands, 1d)]);
        }
    }

    private ThrottleRefusal? TakeAll(Guid appId, IReadOnlyList<(TokenBucket Bucket, double Cost)> buckets)
    {
        // The first limit reached throttles; the request then takes nothing from any quota.
        var (worst, wait) = buckets.Select(b => (b.Bucket, Wait: b.Bucket.WaitFor(b.Cost))).MaxBy(b => b.Wait);
        if (wait > TimeSpan.Zero)
        {
            _throttled++;
            return new ThrottleRefusal(TimeSpan.FromSeconds(Math.Ceiling(wait.TotalSeconds)), $"{worst.Scope}/{appId}", worst.Reason);
        }

        foreach (var (bucket, cost) in buckets)
        {
            bucket.Take(cost);
        }

        return null;
    }

    private AppBuckets AppFor(string bearerToken)
    {
        if (!_apps.TryGetValue(bearerToken, out var app))
        {
            var size = Options!.Size;
            app = new AppBuckets(
                new Guid(MD5.HashData(Encoding.UTF8.GetBytes(bearerToken))),
                new TokenBucket("Tenant_Application/ReadWrite", "ResourceUnitLimitExceeded", ResourceUnitsPer10Seconds(size), TimeSpan.FromSeconds(10), time),
                new TokenBucket("Tenant_Application/Write", "WriteLimitExceeded", AppTenantWrites, AppTenantWriteWindow, time),
                new TokenBucket("Tenant_Application/ExchangeAdminApi", "RequestLimitExceeded", ExchangeCommands, ExchangeCommandWindow, time));
            _apps[bearerToken] = app;
        }

        return app;
    }

    private sealed record AppBuckets(Guid Id, TokenBucket Units, TokenBucket Writes, TokenBucket ExchangeCommands);
}

/// <summary>Why and for how long a request is refused: the Retry-After (null: the service sends none), x-ms-throttle-scope (without the tenant id) and x-ms-throttle-information values.</summary>
public sealed record ThrottleRefusal(TimeSpan? RetryAfter, string Scope, string Reason);
