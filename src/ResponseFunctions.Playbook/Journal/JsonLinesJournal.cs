namespace ResponseFunctions.Playbook.Journal;

/// <summary>
/// A main courante in a JSON Lines file, for drills and for responders without cloud storage. Lines are only ever
/// appended, and flushed to disk before the append returns.
/// </summary>
public sealed class JsonLinesJournal(string path) : IJournal
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HashSet<string>? _ids;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public async Task AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var ids = _ids ??= [.. (await ReadAllAsync(cancellationToken)).Select(e => e.Id)];
            if (!ids.Add(entry.Id))
            {
                return;
            }

            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            await using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.WriteThrough);
            await using var writer = new StreamWriter(stream);
            await writer.WriteLineAsync(JournalJson.ToLine(entry).AsMemory(), cancellationToken);
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
