using System.Collections.Concurrent;
using System.Text;
using Azure;

namespace ResponseFunctions.Playbook.Journal.Blob;

/// <summary>
/// The durable main courante: one append blob per incident in Azure Storage (outside the compromised tenant, as the
/// sheet advises), each line chained under a key the storage account does not hold (<see cref="JournalChain"/>).
/// Appends are conditional on the blob's length and ETag, so concurrent activities, even on different instances of
/// the app, never interleave or fork the chain: the loser re-reads and retries, and finds its entry there if another
/// attempt already wrote it. Only lines whose keyed hash is valid count as "already written". Within one instance,
/// entries appended at the same time for one incident share an append block (<see cref="AppendAsync"/>).
/// </summary>
public sealed class BlobJournal(BlobStore store, JournalChainKey key, string container = BlobJournal.DefaultContainer) : IVerifiableJournal
{
    public const string DefaultContainer = "main-courante";

    /// <summary>Conditional appends tried before giving up; each failure means another writer appended in between.</summary>
    private const int MaxAttempts = 16;

    /// <summary>
    /// Entries per appended block at most, and bytes: an append block holds at most 4 MiB, and an append blob at most
    /// 50,000 blocks (Azure Storage "Append Block"), so one entry per block would end a journal near 2,000 accounts.
    /// </summary>
    private const int MaxEntriesPerBlock = 500;

    private const int MaxBlockBytes = 4 * 1024 * 1024;

    private readonly ConcurrentDictionary<string, Chain> _chains = new(StringComparer.OrdinalIgnoreCase);
    private long _blocks;
    private long _entries;
    private volatile bool _containerReady;

    /// <summary>
    /// Returns once the entry is durable in the blob (or was already there), so "intent before change" holds for every
    /// caller. Entries appended concurrently for the same incident are written together: whoever holds the incident's
    /// gate appends every entry queued so far as one block (group commit), each line chained to the one before it.
    /// </summary>
    public Task AppendAsync(JournalEntry entry, CancellationToken cancellationToken) => AppendAllAsync([entry], cancellationToken);

    /// <summary>Appends <paramref name="entries"/> in order, in as few blocks as they fit in; returns once all are durable.</summary>
    public async Task AppendManyAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        foreach (var incident in entries.GroupBy(e => e.IncidentId, StringComparer.OrdinalIgnoreCase))
        {
            await AppendAllAsync([.. incident], cancellationToken);
        }
    }

    private async Task AppendAllAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var chain = _chains.GetOrAdd(entries[0].IncidentId, _ => new Chain());
        List<Pending> pending = [.. entries.Select(e => new Pending(e))];
        lock (chain.Queue)
        {
            chain.Queue.AddRange(pending);
        }

        try
        {
            await chain.Gate.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            List<Pending> withdrawn;
            lock (chain.Queue)
            {
                withdrawn = [.. pending.Where(chain.Queue.Remove)];
            }

            // What a writer took already is written whatever happens here: wait for it, then report the cancellation.
            await Task.WhenAll(pending.Except(withdrawn).Select(p => p.Written.Task));
            throw;
        }

        try
        {
            while (pending.Any(p => !p.Written.Task.IsCompleted))
            {
                await WriteQueuedAsync(chain, entries[0].IncidentId);
            }
        }
        finally
        {
            chain.Gate.Release();
        }

        await Task.WhenAll(pending.Select(p => p.Written.Task));
    }

    /// <summary>Blocks appended and entries written by this instance since it started (what issue 8 measures).</summary>
    public (long Blocks, long Entries) Appends => (Interlocked.Read(ref _blocks), Interlocked.Read(ref _entries));

    /// <summary>Takes what is queued (up to one block's worth) and appends it; every taken entry is then completed.</summary>
    private async Task WriteQueuedAsync(Chain chain, string incidentId)
    {
        List<Pending> batch;
        lock (chain.Queue)
        {
            batch = [.. chain.Queue.Take(MaxEntriesPerBlock)];
            chain.Queue.RemoveRange(0, batch.Count);
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            // Not the caller's token: the block carries other callers' entries too.
            await AppendBatchAsync(chain, incidentId, batch, CancellationToken.None);
            foreach (var written in batch)
            {
                written.Written.TrySetResult();
            }
        }
        catch (Exception ex)
        {
            foreach (var failed in batch)
            {
                failed.Written.TrySetException(ex);
            }
        }
    }

    private async Task AppendBatchAsync(Chain chain, string incidentId, List<Pending> batch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var state = chain.State ??= await LoadAsync(incidentId, cancellationToken);
            var lines = new List<ChainedLine>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var block = new MemoryStream();
            var lastHash = state.LastHash;
            foreach (var entry in batch.Select(p => p.Entry))
            {
                // Already in the journal, or twice in this batch: written once.
                if (state.Ids.Contains(entry.Id) || !ids.Add(entry.Id))
                {
                    continue;
                }

                var line = JournalChain.Link(key, state.Lines + lines.Count + 1, lastHash, entry);
                var bytes = Encoding.UTF8.GetBytes(line.Text);
                if (lines.Count > 0 && block.Length + bytes.Length > MaxBlockBytes)
                {
                    // The rest waits for the next block: give those entries back, first in line.
                    var rest = batch.SkipWhile(p => p.Entry.Id != entry.Id).ToList();
                    batch.RemoveRange(batch.Count - rest.Count, rest.Count);
                    lock (chain.Queue)
                    {
                        chain.Queue.InsertRange(0, rest);
                    }

                    break;
                }

                block.Write(bytes);
                lines.Add(line);
                lastHash = line.Hash;
            }

            if (lines.Count == 0)
            {
                return;
            }

            var etag = await store.AppendIfUnchangedAsync(container, BlobName(incidentId), block.ToArray(), state.Length, state.ETag, cancellationToken);
            if (etag is null)
            {
                // Another writer appended in between: re-read, and whatever it wrote is not written again.
                chain.State = null;
                continue;
            }

            Interlocked.Increment(ref _blocks);
            Interlocked.Add(ref _entries, lines.Count);

            // The set of ids grows in place (the gate is held): copying it on every append cost gigabytes at scale.
            state.Ids.UnionWith(ids);
            chain.State = state with { ETag = etag.Value, Length = state.Length + block.Length, LastHash = lastHash, Lines = state.Lines + lines.Count };
            return;
        }

        throw new IOException($"The journal of incident {incidentId} kept changing under {MaxAttempts} append attempts.");
    }

    /// <summary>
    /// The entry with this id, or null, without downloading the journal when it is not there: the ids this instance
    /// knows are the whole journal's as long as the blob's ETag is the one it last wrote or read (one HEAD request);
    /// when another instance appended since, the journal is read again. Apply asks this for every step, and reading the
    /// blob each time made a containment's journal cost grow with the square of its size.
    /// </summary>
    public async Task<JournalEntry?> FindAsync(string incidentId, string entryId, CancellationToken cancellationToken)
    {
        var chain = _chains.GetOrAdd(incidentId, _ => new Chain());
        await chain.Gate.WaitAsync(cancellationToken);
        try
        {
            if (await store.ETagOfAsync(container, BlobName(incidentId), cancellationToken) is not { } etag)
            {
                return null;
            }

            if (chain.State is not { } state || state.ETag != etag)
            {
                chain.State = state = await LoadAsync(incidentId, cancellationToken);
            }

            if (!state.Ids.Contains(entryId))
            {
                return null;
            }
        }
        finally
        {
            chain.Gate.Release();
        }

        return (await ReadAsync(incidentId, cancellationToken)).FirstOrDefault(e => e.Id == entryId);
    }

    public async Task<IReadOnlyList<JournalEntry>> ReadAsync(string incidentId, CancellationToken cancellationToken) =>
        (await ReadChainAsync(incidentId, null, cancellationToken))?.Entries ?? [];

    public async Task<ChainVerification> VerifyAsync(string incidentId, ChainAnchor? anchor, CancellationToken cancellationToken) =>
        (await ReadChainAsync(incidentId, anchor, cancellationToken))?.Verification
        ?? (anchor is null ? new ChainVerification(true, 0, null, null) : new ChainVerification(false, 0, 1, $"the journal is missing but its anchor records {anchor.Entries} entries"));

    /// <summary>One blob per incident. Incident ids are validated at intake (letters, digits, '.', '_', '-').</summary>
    public static string BlobName(string incidentId) => $"{incidentId.ToLowerInvariant()}.jsonl";

    private async Task<ChainRead?> ReadChainAsync(string incidentId, ChainAnchor? anchor, CancellationToken cancellationToken) =>
        await store.ReadAsync(container, BlobName(incidentId), cancellationToken) is { } blob
            ? JournalChain.Read(key, incidentId, Encoding.UTF8.GetString(blob.Content), anchor)
            : null;

    private async Task<ChainState> LoadAsync(string incidentId, CancellationToken cancellationToken)
    {
        if (!_containerReady)
        {
            await store.EnsureContainerAsync(container, cancellationToken);
            _containerReady = true;
        }

        await store.CreateAppendBlobAsync(container, BlobName(incidentId), cancellationToken);
        var blob = await store.ReadAsync(container, BlobName(incidentId), cancellationToken)
            ?? throw new IOException($"The journal blob of incident {incidentId} disappeared.");
        var read = JournalChain.Read(key, incidentId, Encoding.UTF8.GetString(blob.Content));

        // A chain that no longer verifies is still extended (from its last line's hash): refusing would let whoever
        // tampered with the journal stop the containment, and the first bad line stays reported by VerifyAsync.
        // Only authentic lines' ids are "already written": a planted line with a predictable id cannot suppress the real one.
        return new ChainState(blob.ETag, blob.Content.LongLength, read.LastHash, read.Lines, new HashSet<string>(read.AuthenticIds, StringComparer.Ordinal));
    }

    private sealed class Chain
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>Entries waiting to be written, in the order their callers appended them.</summary>
        public List<Pending> Queue { get; } = [];

        public ChainState? State { get; set; }
    }

    private sealed class Pending(JournalEntry entry)
    {
        public JournalEntry Entry { get; } = entry;

        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record ChainState(ETag ETag, long Length, string LastHash, int Lines, HashSet<string> Ids);
}
