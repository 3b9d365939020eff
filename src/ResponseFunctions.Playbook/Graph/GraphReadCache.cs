using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Kiota.Abstractions;

namespace ResponseFunctions.Playbook.Graph;

/// <summary>
/// Reads each directory object once per phase: a GET of a user, its authentication methods or groups, its Identity
/// Protection record, or its role assignments and eligibilities is answered from the last read of the same URL when
/// that read is at most <see cref="Lifetime"/> old and this process has written nothing to the object since. Identical
/// reads in flight at once share one request. A filtered list of users (a wave's users, read together) is kept the same
/// way and also answers each listed user's own read with the same $select, as if read then. Case 1 reads the same user in 1.a, 1.b and 1.c, before and after each
/// change and again to verify: 12 reads per account became about 4.
/// <para>
/// Every write this process sends through the client drops what it can touch: reads naming an id the write names (in
/// its path or body), every role-management and group-membership read after a role, group or membership write, every
/// Identity Protection read after an Identity Protection write, and everything after any other write. What a cached
/// read can miss is a change made by someone else within <see cref="Lifetime"/>. Reads that decide a safety rule
/// (the Global Administrator count) ask for a fresh answer (<see cref="FreshRead"/>). Identity Protection writes are
/// also told to <see cref="IdentityProtectionWrites"/>, for the risky-user list reads 1.risk keeps.
/// </para>
/// </summary>
public sealed partial class GraphReadCache(TimeProvider? time = null) : DelegatingHandler
{
    /// <summary>How long a read answers the same GET: one phase of one target (plan, or apply then verify).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _hits;

    /// <summary>GETs answered without a request since the process started.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = PathOf(request.RequestUri!);
        if (request.Method != HttpMethod.Get)
        {
            var body = await GraphThrottleHandler.BufferAsync(request, cancellationToken);
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                // Whatever the answer (a timeout may still have changed the object), nothing read before stays.
                Invalidate(path, body is null ? "" : System.Text.Encoding.UTF8.GetString(body));
            }
        }

        if (!IsCacheable(path, request.RequestUri!) || request.Options.TryGetValue(FreshRead.Key, out _))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        // Kept as sent: a handler below may rewrite request.RequestUri (kiota's parameter-name decoding turns "%24select" into "$select").
        var sentUri = request.RequestUri!;
        var key = sentUri.AbsoluteUri;
        Entry entry;
        bool owner;
        lock (_gate)
        {
            owner = !_entries.TryGetValue(key, out var found) || found.Read.Task.IsCompleted && _time.GetUtcNow() - found.At >= Lifetime;
            if (owner)
            {
                found = new Entry(_time.GetUtcNow(), new TaskCompletionSource<Snapshot?>(TaskCreationOptions.RunContinuationsAsynchronously), key);
                _entries[key] = found;
            }

            entry = found!;
        }

        if (!owner)
        {
            if (await entry.Read.Task is { } shared)
            {
                Interlocked.Increment(ref _hits);
                return shared.ToResponse(request);
            }

            return await base.SendAsync(request, cancellationToken);
        }

        HttpResponseMessage sent;
        try
        {
            sent = await base.SendAsync(request, cancellationToken);
        }
        catch
        {
            Forget(key, entry);
            entry.Read.TrySetResult(null);
            throw;
        }

        if (sent.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NotFound))
        {
            Forget(key, entry);
            entry.Read.TrySetResult(null);
            return sent;
        }

        var snapshot = await Snapshot.OfAsync(sent, cancellationToken);
        entry.Read.TrySetResult(snapshot);
        sent.Dispose();
        Alias(sentUri, path, snapshot, entry.At);
        Seed(sentUri, path, snapshot, entry.At);
        return snapshot.ToResponse(request);
    }

    /// <summary>The reads one target's steps repeat: the user, its methods and groups, its risk, its roles; and a wave's users read together.</summary>
    private static bool IsCacheable(string[] path, Uri uri) => path switch
    {
        ["users"] => IsFilteredList(uri),
        ["users", _] => true,
        ["users", _, "authentication", "methods"] => true,
        ["users", _, "memberOf", ..] => true,
        ["identityProtection", "riskyUsers", _] => true,
        ["roleManagement", "directory", "roleAssignments" or "roleEligibilitySchedules" or "roleAssignmentScheduleInstances"] => true,
        _ => false,
    };

    private void Invalidate(string[] path, string body)
    {
        var named = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        named.UnionWith(path.Where(s => Ids().IsMatch(s) || s.Contains('@', StringComparison.Ordinal)));
        named.UnionWith(Ids().Matches(body).Select(m => m.Value));

        var root = path.Length > 0 ? path[0] : "";
        if (root == "identityProtection")
        {
            // The risky-user reads kept across waves (1.risk's RiskOfWave) learn of it too.
            IdentityProtectionWrites.Record([.. Ids().Matches(body).Select(m => m.Value).Concat(path.Where(s => Ids().IsMatch(s)))]);
        }

        lock (_gate)
        {
            // Every write looks at every kept read: reads past their lifetime go too, so the walk stays as short as the
            // last few seconds of reads (kept forever, a 1,000-account run walked thousands of them at each of its 5,000 writes).
            var now = _time.GetUtcNow();
            foreach (var (key, entry) in _entries)
            {
                var expired = entry.Read.Task.IsCompleted && now - entry.At >= Lifetime;
                if (expired || Drops(root, entry.Unescaped, named))
                {
                    _entries.Remove(key);
                }
            }
        }
    }

    /// <summary>Whether a write under <paramref name="root"/> naming <paramref name="named"/> can have changed what <paramref name="cached"/> read.</summary>
    private static bool Drops(string root, string cached, HashSet<string> named)
    {
        var drop = root switch
        {
            // A user read by its principal name carries no id in its URL.
            "users" => cached.Contains("/users/", StringComparison.OrdinalIgnoreCase) && cached.Contains('@', StringComparison.Ordinal),
            "roleManagement" or "groups" => cached.Contains("/roleManagement/", StringComparison.OrdinalIgnoreCase)
                || cached.Contains("/memberOf", StringComparison.OrdinalIgnoreCase),
            "identityProtection" => cached.Contains("/identityProtection/", StringComparison.OrdinalIgnoreCase),
            _ => true,
        };
        if (drop)
        {
            return true;
        }

        foreach (var id in named)
        {
            if (cached.Contains(id, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private void Forget(string key, Entry entry)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var current) && ReferenceEquals(current, entry))
            {
                _entries.Remove(key);
            }
        }
    }

    /// <summary>The path after the version segment ("v1.0"), unescaped.</summary>
    private static string[] PathOf(Uri uri) =>
        [.. uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(Uri.UnescapeDataString)];

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Ids();

    private sealed record Entry(DateTimeOffset At, TaskCompletionSource<Snapshot?> Read, string Key)
    {
        /// <summary>The key as a write's ids and names are looked for in it, unescaped once.</summary>
        public string Unescaped { get; } = Uri.UnescapeDataString(Key);
    }

    /// <summary>A response kept whole, so each reader gets its own copy.</summary>
    private sealed record Snapshot(HttpStatusCode Status, Version Version, List<KeyValuePair<string, IEnumerable<string>>> Headers,
        List<KeyValuePair<string, IEnumerable<string>>> ContentHeaders, byte[] Body)
    {
        public static async Task<Snapshot> OfAsync(HttpResponseMessage response, CancellationToken cancellationToken) => new(
            response.StatusCode,
            response.Version,
            [.. response.Headers],
            [.. response.Content.Headers],
            await response.Content.ReadAsByteArrayAsync(cancellationToken));

        public HttpResponseMessage ToResponse(HttpRequestMessage request)
        {
            var response = new HttpResponseMessage(Status) { RequestMessage = request, Version = Version, Content = new ByteArrayContent(Body) };
            foreach (var (name, values) in Headers)
            {
                response.Headers.TryAddWithoutValidation(name, values);
            }

            foreach (var (name, values) in ContentHeaders)
            {
                response.Content.Headers.Remove(name);
                response.Content.Headers.TryAddWithoutValidation(name, values);
            }

            return response;
        }
    }
}

/// <summary>Asks <see cref="GraphReadCache"/> for an answer read now: for reads a safety rule decides on.</summary>
public sealed class FreshRead : IRequestOption
{
    public static readonly HttpRequestOptionsKey<IRequestOption> Key = new(typeof(FreshRead).FullName!);
}
