namespace ResponseFunctions.Playbook.Exchange;

/// <summary>Where the Exchange admin API is and how patiently to call it.</summary>
public sealed record ExchangeOnlineOptions
{
    public const string DefaultBaseUrl = "https://outlook.office365.com";

    /// <summary>The tenant's id (GUID) or initial domain, as the /adminapi/beta/{tenant}/ path wants it.</summary>
    public required string TenantId { get; init; }

    /// <summary>The service root; the simulated tenant's address for drills.</summary>
    public string BaseUrl { get; init; } = DefaultBaseUrl;

    /// <summary>Attempts per page, the first included: 4 (so three retries) by default.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Wait before retry n when the service gives no Retry-After: n × 5 s (ExoHelper's own back-off).</summary>
    public TimeSpan RetryStep { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest single wait, whatever Retry-After asks: 60 s; beyond that the step fails as transient and the host retries it later.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Objects per page asked for (Prefer: odata.maxpagesize); the service caps it at 1000.</summary>
    public int PageSize { get; init; } = 1000;

    /// <summary>Pages followed at most, so a service that keeps answering nextLink cannot loop forever.</summary>
    public int MaxPages { get; init; } = 100;
}
