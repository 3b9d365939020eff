using ResponseFunctions.SimulatedTenant;

namespace ResponseFunctions.Cli.Bench;

/// <summary>
/// What the containment asked of the tenant, from the simulator's request log: every request, the changes among them
/// (a POST that only reads, such as getByIds or an Exchange Get- cmdlet, is not one), the 429s, and the writes the
/// modelled quotas count.
/// </summary>
/// <param name="Requests">Round trips: a JSON batch counts once, however many requests it carries.</param>
internal sealed record RequestTally(int Requests, int Writes, int IdentityWrites, int ExchangeCommands, int Throttled, DateTimeOffset? FirstWrite, int IdentityProtectionRequests = 0)
{
    /// <summary>Requests the service handled, each request of a batch on its own (what its quotas count).</summary>
    public int Calls { get; init; }

    /// <summary>
    /// The least time the modelled quotas allow for these writes: Graph's identity write quotas
    /// (<see cref="TenantThrottle.MinimumTimeForWrites"/>), the assumed Exchange admin API budget, and identity protection and
    /// conditional access's 1 request per second per tenant (every such request counts, reads too), whichever is longest.
    /// </summary>
    public TimeSpan Bound
    {
        get
        {
            var exchangePerSecond = TenantThrottle.ExchangeCommands / TenantThrottle.ExchangeCommandWindow.TotalSeconds;
            var exchange = TimeSpan.FromSeconds(Math.Max(0, ExchangeCommands - TenantThrottle.ExchangeCommands) / exchangePerSecond);
            var identity = TenantThrottle.MinimumTimeForWrites(IdentityWrites);
            var protection = TenantThrottle.MinimumTimeForIdentityProtection(IdentityProtectionRequests);
            return new[] { identity, exchange, protection }.Max();
        }
    }

    public static RequestTally Of(IReadOnlyList<RecordedRequest> log)
    {
        int writes = 0, identityWrites = 0, exchangeCommands = 0, throttled = 0, identityProtection = 0, roundTrips = 0, calls = 0;
        DateTimeOffset? firstWrite = null;
        foreach (var request in log)
        {
            roundTrips += request.Batch is null ? 1 : 0;
            if (request.PathAndQuery.StartsWith("/v1.0/$batch", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            calls++;
            if (request.StatusCode == 429)
            {
                throttled++;
                continue;
            }

            identityProtection += IsIdentityProtection(request) ? 1 : 0;
            var exchange = request.PathAndQuery.EndsWith("/InvokeCommand", StringComparison.OrdinalIgnoreCase);
            exchangeCommands += exchange ? 1 : 0;
            if (request.StatusCode >= 400 || !IsWrite(request, exchange, out var identity))
            {
                continue;
            }

            writes++;
            identityWrites += identity ? 1 : 0;
            firstWrite ??= request.At;
        }

        return new RequestTally(roundTrips, writes, identityWrites, exchangeCommands, throttled, firstWrite, identityProtection) { Calls = calls };
    }

    private static bool IsIdentityProtection(RecordedRequest request)
    {
        var question = request.PathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? request.PathAndQuery : request.PathAndQuery[..question];
        return path.StartsWith("/v1.0/", StringComparison.OrdinalIgnoreCase)
            && TenantThrottle.IsIdentityProtection(path["/v1.0/".Length..].Split('/', StringSplitOptions.RemoveEmptyEntries));
    }

    private static bool IsWrite(RecordedRequest request, bool exchange, out bool identity)
    {
        identity = false;
        if (string.Equals(request.Method, "GET", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (exchange)
        {
            return request.Body?.Contains("\"CmdletName\":\"Get-", StringComparison.OrdinalIgnoreCase) != true;
        }

        var question = request.PathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? request.PathAndQuery : request.PathAndQuery[..question];
        if (path.StartsWith("/v1.0/", StringComparison.OrdinalIgnoreCase)
            && GraphRequestCost.For(request.Method, path["/v1.0/".Length..].Split('/', StringSplitOptions.RemoveEmptyEntries), null) is { } cost)
        {
            identity = cost.Writes > 0;
            return identity;
        }

        return true;
    }
}
