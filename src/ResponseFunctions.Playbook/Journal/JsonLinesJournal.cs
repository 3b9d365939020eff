namespace ResponseFunctions.Playbook.Journal;

/// <summary>
/// A main courante in a JSON Lines file, for drills and for responders without cloud storage. Lines are only ever
/// appended, and flushed to disk before the append returns. Entries appended at the same time are written together
/// (group commit): whoever finds no write under way writes every entry queued so far, in the order they came, with one
/// flush to disk, then completes each; a flush per entry made a wave's activities wait on the disk one by one.
/// </summary>
public sealed class JsonLinesJournal(string path) : IJournal
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _queue = new();
    private List<(IReadOnlyList<JournalEntry> Entries, TaskCompletionSource Written)> _pending = [];
    private bool _writing;
    private HashSet<string>? _ids;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Disk flushes made since this journal was opened (each writes every entry then queued).</summary>
    public long Flushes => Interlocked.Read(ref _flushes);

    private long _flushes;

    public Task AppendAsync(JournalEntry entry, CancellationToken cancellationToken) => AppendManyAsync([entry], cancellationToken);

    /// <summary>Appends <paramref name="entries"/> in order, written with the other entries queued at the same time; returns once all are on disk.</summary>
    public async Task AppendManyAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool write;
        lock (_queue)
        {
            _pending.Add((entries, written));
            write = !_writing;
            _writing = true;
        }

        if (write)
        {
            await WriteQueuedAsync();
        }

        await written.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Writes what is queued, batch after batch, until nothing is; never cancelled by one caller, as it writes for all.</summary>
    private async Task WriteQueuedAsync()
    {
        while (true)
        {
            List<(IReadOnlyList<JournalEntry> Entries, TaskCompletionSource Written)> batch;
            lock (_queue)
            {
                if (_pending.Count == 0)
                {
                    _writing = false;
                    return;
                }

                (batch, _pending) = (_pending, []);
            }

            try
            {
                await WriteAsync(batch.SelectMany(b => b.Entries));
                batch.ForEach(b => b.Written.TrySetResult());
            }
            catch (Exception ex)
            {
                batch.ForEach(b => b.Written.TrySetException(ex));
            }
        }
    }

    private async Task WriteAsync(IEnumerable<JournalEntry> entries)
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            var ids = _ids ??= [.. (await ReadAllAsync(CancellationToken.None)).Select(e => e.Id)];
            var lines = new System.Text.StringBuilder();
            var added = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in entries.Where(e => !ids.Contains(e.Id) && added.Add(e.Id)))
            {
                lines.Append(JournalJson.ToLine(entry)).Append('\n');
            }

            if (added.Count == 0)
            {
                return;
            }

            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            await using (var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024, FileOptions.WriteThrough))
            {
                await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(lines.ToString()));
            }

            // Known as written only once on disk: an entry whose write failed is written again by a retry.
            ids.UnionWith(added);
            Interlocked.Increment(ref _flushes);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>An id this journal never wrote is known without reading the file (its ids are kept once read).</summary>
    public async Task<JournalEntry?> FindAsync(string incidentId, string entryId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var ids = _ids ??= [.. (await ReadAllAsync(cancellationToken)).Select(e => e.Id)];
            if (!ids.Contains(entryId))
            {
                return null;
            }
        }
        finally
        {
            _gate.Release();
        }

        return (await ReadAsync(incidentId, cancellationToken)).FirstOrDefault(e => e.Id == entryId);
    }

    public async Task<IReadOnlyList<JournalEntry>> ReadAsync(string incidentId, CancellationToken cancellationToken) =>
        [.. (await ReadAllAsync(cancellationToken)).Where(e => e.IncidentId == incidentId)];

    private async Task<List<JournalEntry>> ReadAllAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        var lines = await File.ReadAllLinesAsync(Path, cancellationToken);
        return [.. lines.Where(l => l.Length > 0).Select(JournalJson.FromLine)];
    }
}
