using System.Collections.Concurrent;
using System.Text;
using Azure;
using ResponseFunctions.Playbook.Journal.Blob;

namespace ResponseFunctions.Playbook.Policy;

/// <summary>
/// What every containment of the tenant must share for the Global Administrator guard to hold under concurrency:
/// one lock held around "re-check the guard, then change" for every change that can reduce the set of trusted Global
/// Administrators, and the users no containment may count as trusted (named by an open containment, or whose
/// password or methods this playbook has just reset or wiped). Entries count for <see cref="UntrustedFor"/>.
/// </summary>
public interface ITenantGuardLedger
{
    static TimeSpan UntrustedFor { get; } = TimeSpan.FromDays(7);

    /// <summary>Waits for the tenant-wide guard lock; dispose to release it.</summary>
    Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken);

    /// <summary>The lock if nobody holds it, else null.</summary>
    Task<IAsyncDisposable?> TryLockAsync(CancellationToken cancellationToken);

    Task MarkUntrustedAsync(string objectId, string reason, DateTimeOffset at, CancellationToken cancellationToken);

    Task<IReadOnlySet<string>> UntrustedAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>The ledger of one process (drills, the CLI, a host journaling to files): a semaphore and a dictionary.</summary>
public sealed class InProcessTenantGuardLedger : ITenantGuardLedger
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _untrusted = new(StringComparer.OrdinalIgnoreCase);

    public async Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        return new Release(_gate);
    }

    public async Task<IAsyncDisposable?> TryLockAsync(CancellationToken cancellationToken) =>
        await _gate.WaitAsync(TimeSpan.Zero, cancellationToken) ? new Release(_gate) : null;

    public Task MarkUntrustedAsync(string objectId, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        _untrusted.AddOrUpdate(objectId, at, (_, earlier) => earlier > at ? earlier : at);
        return Task.CompletedTask;
    }

    public Task<IReadOnlySet<string>> UntrustedAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlySet<string>>(_untrusted.Where(e => now - e.Value < ITenantGuardLedger.UntrustedFor).Select(e => e.Key).ToHashSet(StringComparer.OrdinalIgnoreCase));

    private sealed class Release(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// The ledger shared by every instance of the app: a blob lease is the lock (the service grants one lease at a time
/// and frees it after <see cref="LeaseDuration"/> if its holder dies), and one small blob per untrusted user.
/// </summary>
// Source: "Lease Blob" (learn.microsoft.com/rest/api/storageservices/lease-blob): a lease lasts 15 to 60 seconds or is
// infinite; acquiring a leased blob fails with 409 LeaseAlreadyPresent.
public sealed class BlobTenantGuardLedger(BlobStore store, string container = BlobTenantGuardLedger.DefaultContainer) : ITenantGuardLedger
{
    public const string DefaultContainer = "tenant-guard";

    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);

    public async Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await TryLockAsync(cancellationToken) is { } held)
            {
                return held;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    public async Task<IAsyncDisposable?> TryLockAsync(CancellationToken cancellationToken)
    {
        var lease = await store.LeaseOfAsync(container, "global-administrators.lock", cancellationToken);
        try
        {
            await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken);
            return new Release(lease);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return null;
        }
    }

    public async Task MarkUntrustedAsync(string objectId, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await store.EnsureContainerAsync(container, cancellationToken);
        var name = $"untrusted/{objectId.ToLowerInvariant()}";
        var existing = await store.ReadAsync(container, name, cancellationToken);
        await store.ReplaceIfUnchangedAsync(container, name, Encoding.UTF8.GetBytes($"{at:O} {reason}"), existing?.ETag, cancellationToken);
    }

    public async Task<IReadOnlySet<string>> UntrustedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await store.EnsureContainerAsync(container, cancellationToken);
        var untrusted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, content) in await store.ListAsync(container, "untrusted/", cancellationToken))
        {
            var text = Encoding.UTF8.GetString(content);
            if (DateTimeOffset.TryParse(text.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var at)
                && now - at < ITenantGuardLedger.UntrustedFor)
            {
                untrusted.Add(name["untrusted/".Length..]);
            }
        }

        return untrusted;
    }

    private sealed class Release(Azure.Storage.Blobs.Specialized.BlobLeaseClient lease) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await lease.ReleaseAsync();
    }
}
