using System.Net;
using ResponseFunctions.Playbook.Throttling;

namespace ResponseFunctions.Playbook.Graph;

/// <summary>
/// Takes the place of the Graph SDK's retry handler: every request first waits for its quota's turn in the process-wide
/// <see cref="ThrottleGate"/>; a throttled (429) or unavailable (503, 504) answer pauses that quota for every caller
/// (Retry-After when given, else a shared exponential back-off) and the request is sent again, up to
/// <see cref="MaxAttempts"/> times. After that the answer goes back to the SDK, which throws, and the activity fails as
/// transient (<see cref="Orchestration.TaskFailures.IsTransient"/>) for the engine's retry.
/// </summary>
/// <remarks>Quotas, from "Microsoft Graph service-specific throttling limits" (learn.microsoft.com/graph/throttling-limits):
/// <list type="bullet">
/// <item>Identity and access (users, groups, roleManagement, applications…): per application+tenant resource units, and a
/// separate write quota. A 429 whose x-ms-throttle-scope names the Write limit pauses writes only; reads go on.</item>
/// <item>Identity protection and conditional access (riskyUsers, riskDetections, namedLocations, conditionalAccess
/// policies): 1 request per second per tenant for all apps, and their 429s carry no Retry-After. Once throttled there,
/// this process paces itself at that rate (<see cref="ThrottleGate.PaceHold"/>).</item>
/// <item>Everything else on Graph shares one scope.</item>
/// </list></remarks>
public sealed class GraphThrottleHandler(ThrottleGate gate) : DelegatingHandler
{
    /// <summary>Attempts per request, the first included (the SDK's retry handler made 1 + 3).</summary>
    public const int MaxAttempts = 4;

    public static readonly ThrottleScope Identity = new("graph/identity");
    /// <summary>
    /// Once the write quota has throttled, paced 4% under its documented rate (3,000 writes per 2 min 30 s: 20 a
    /// second, one per 50 ms): hundreds of waiting writers released together at each Retry-After were mostly refused
    /// again, and a write refused four times is done again alone, one activity each. The margin absorbs arrivals
    /// closer than they were sent; each millisecond more costs a 1,000-account containment about 2 s.
    /// </summary>
    public static readonly ThrottleScope IdentityWrites = new("graph/identity/write", TimeSpan.FromMilliseconds(52));
    /// <summary>Paced 10% under the documented 1 request per second: the service counts arrivals, and two sends exactly a second apart can arrive closer.</summary>
    public static readonly ThrottleScope IdentityProtectionAndConditionalAccess = new("graph/identity-protection-ca", TimeSpan.FromSeconds(1.1));
    public static readonly ThrottleScope Other = new("graph");

    private static readonly HashSet<string> IdentityRoots = new(StringComparer.OrdinalIgnoreCase)
    {
        "users", "me", "groups", "directoryRoles", "directoryRoleTemplates", "directoryObjects", "roleManagement", "applications",
        "servicePrincipals", "oauth2PermissionGrants", "domains", "organization", "subscribedSkus", "contracts", "policies",
        "directory", "devices", "getObjectsById", "isMemberOf", "administrativeUnits", "groupLifecyclePolicies",
    };

    /// <summary>Under a user or group these belong to other services (Outlook, OneDrive…), with their own limits.</summary>
    private static readonly HashSet<string> OtherServiceChildren = new(StringComparer.OrdinalIgnoreCase)
    {
        "messages", "mailFolders", "mailboxSettings", "events", "calendar", "calendars", "contacts", "contactFolders", "drive",
        "drives", "onenote", "insights", "teamwork", "chats", "joinedTeams", "photo", "photos", "inferenceClassification",
        "outlook", "todo", "planner", "presence", "onlineMeetings", "conversations", "threads", "sites", "team",
    };

    /// <summary>The quotas a request waits on: the identity scope and, for a write, the identity write scope too.</summary>
    public static IReadOnlyList<ThrottleScope> ScopesOf(HttpMethod method, Uri uri)
    {
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(Uri.UnescapeDataString).ToList();
        if (segments.Count == 0)
        {
            return [Other];
        }

        if (string.Equals(segments[0], "identityProtection", StringComparison.OrdinalIgnoreCase)
            || (segments.Count > 1 && string.Equals(segments[0], "identity", StringComparison.OrdinalIgnoreCase)
                && string.Equals(segments[1], "conditionalAccess", StringComparison.OrdinalIgnoreCase)))
        {
            return [IdentityProtectionAndConditionalAccess];
        }

        if (!IdentityRoots.Contains(segments[0]) || segments.Skip(1).Any(OtherServiceChildren.Contains))
        {
            return [Other];
        }

        return method == HttpMethod.Get ? [Identity] : [Identity, IdentityWrites];
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var scopes = ScopesOf(request.Method, request.RequestUri!);
        var body = await BufferAsync(request, cancellationToken);
        var current = request;
        for (var attempt = 1; ; attempt++)
        {
            var sentAt = DateTimeOffset.MinValue;
            foreach (var scope in scopes)
            {
                sentAt = await gate.WaitTurnAsync(scope, cancellationToken);
            }

            var response = await base.SendAsync(current, cancellationToken);
            if (!Telemetry.ThrottlingMeter.IsRetried(response.StatusCode))
            {
                foreach (var scope in scopes)
                {
                    gate.Served(scope, sentAt);
                }

                return response;
            }

            gate.Throttled(ThrottledScope(response, scopes), RetryAfter(response, gate.Time));
            if (attempt >= MaxAttempts)
            {
                return response;
            }

            response.Dispose();
            current = Copy(request, body, attempt);
        }
    }

    /// <summary>The scope the answer throttled: the write quota when x-ms-throttle-scope says so, else the request's first scope.</summary>
    private static ThrottleScope ThrottledScope(HttpResponseMessage response, IReadOnlyList<ThrottleScope> scopes)
    {
        if (scopes.Contains(IdentityWrites) && response.StatusCode == HttpStatusCode.TooManyRequests
            && response.Headers.TryGetValues("x-ms-throttle-scope", out var values)
            && values.Any(v => v.Split('/') is [_, var limit, ..] && string.Equals(limit, "Write", StringComparison.OrdinalIgnoreCase)))
        {
            return IdentityWrites;
        }

        return scopes[0];
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow(),
        _ => null,
    };

    /// <summary>The body read once into memory, so each attempt sends the same bytes.</summary>
    internal static async Task<byte[]?> BufferAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is null)
        {
            return null;
        }

        var bytes = await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var content = new ByteArrayContent(bytes);
        foreach (var header in request.Content.Headers)
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        request.Content = content;
        return bytes;
    }

    private static HttpRequestMessage Copy(HttpRequestMessage request, byte[]? body, int retry)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        copy.Headers.Remove("Retry-Attempt");
        copy.Headers.TryAddWithoutValidation("Retry-Attempt", retry.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var option in request.Options)
        {
            copy.Options.Set(new HttpRequestOptionsKey<object?>(option.Key), option.Value);
        }

        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var header in request.Content!.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return copy;
    }
}
