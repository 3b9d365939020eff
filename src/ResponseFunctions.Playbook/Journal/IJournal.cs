namespace ResponseFunctions.Playbook.Journal;

/// <summary>The main courante: append-only, in order, one per incident. Appending an entry whose id is already there does nothing.</summary>
public interface IJournal
{
    Task AppendAsync(JournalEntry entry, CancellationToken cancellationToken);

    Task<IReadOnlyList<JournalEntry>> ReadAsync(string incidentId, CancellationToken cancellationToken);

    /// <summary>
    /// Appends several entries in order, returning once all are written. A journal that can write them at once (the
    /// blob journal: one append block) does; by default they are appended one after the other.
    /// </summary>
    async Task AppendManyAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        foreach (var entry in entries)
        {
            await AppendAsync(entry, cancellationToken);
        }
    }

    /// <summary>
    /// The entry with this id, or null. By default read from the whole journal; a journal that knows which ids it holds
    /// answers "not there" without reading (apply asks it for every step, so the default is quadratic in the incident).
    /// </summary>
    async Task<JournalEntry?> FindAsync(string incidentId, string entryId, CancellationToken cancellationToken) =>
        (await ReadAsync(incidentId, cancellationToken)).FirstOrDefault(e => e.Id == entryId);
}
