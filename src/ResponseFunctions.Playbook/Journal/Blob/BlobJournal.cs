using System.Collections.Concurrent;
using System.Text;
using Azure;

namespace ResponseFunctions.Playbook.Journal.Blob;

/// <summary>
/// The durable main courante: one append blob per incident in Azure Storage (outside the compromised tenant, as the
/// sheet advises), each line chained under a key the storage account does not hold (<see cref="JournalChain"/>).
/// Appends are conditional on the blob's length and ETag, so concurrent activities, even on different instances of
/// the app, never interleave or fork the chain: the loser re-reads and retries, and finds its entry there if another
/// attempt already wrote it. Only lines whose keyed hash is valid count as "already written".
/// </summary>
public sealed class BlobJournal(BlobStore store, JournalChainKey key, string container = BlobJournal.DefaultContainer) : IVerifiableJournal
{
    public const string DefaultContainer = "main-courante";

    /// <summary>Conditional appends tried before giving up; each failure means another writer appended in between.</summary>
    private const int MaxAttempts = 16;

    private readonly ConcurrentDictionary<string, Chain> _chains = new(StringComparer.OrdinalIgnoreCase);
    private volatile bool _containerReady;

    public async Task AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        var chain = _chains.GetOrAdd(entry.IncidentId, _ => new Chain());
        await chain.Gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; attempt <= MaxAttempts; attempt++)
            {
                var state = chain.State ??= await LoadAsync(entry.IncidentId, cancellationToken);
                if (state.Ids.Contains(entry.Id))
                {
                    return;
                }

                var line = JournalChain.Link(key, state.Lines + 1, state.LastHash, entry);
                var bytes = Encoding.UTF8.GetBytes(line.Text);
                var etag = await store.AppendIfUnchangedAsync(container, BlobName(entry.IncidentId), bytes, state.Length, state.ETag, cancellationToken);
                if (etag is null)
                {
                    chain.State = null;
                    continue;
                }

                chain.State = state with
                {
                    ETag = etag.Value,
                    Length = state.Length + bytes.Length,
                    LastHash = line.Hash,
                    Lines = state.Lines + 1,
                    Ids = new HashSet<string>(state.Ids, StringComparer.Ordinal) { entry.Id },
                };
                return;
            }

            throw new IOException($"The journal of incident {entry.IncidentId} kept changing under {MaxAttempts} append attempts.");
        }
        finally
        {
            chain.Gate.Release();
        }
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

        public ChainState? State { get; set; }
    }

    private sealed record ChainState(ETag ETag, long Length, string LastHash, int Lines, HashSet<string> Ids);
}
