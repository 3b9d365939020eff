namespace ResponseFunctions.Playbook.Journal;

/// <summary>A journal held in memory, for tests and for hosts that export the journal elsewhere when done.</summary>
public sealed class InMemoryJournal : IJournal
{
    private readonly List<JournalEntry> _entries = [];
    private readonly HashSet<string> _ids = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<JournalEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    public Task AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_ids.Add(entry.Id))
            {
                _entries.Add(entry);
            }
        }

        return Task.CompletedTask;
    }

    public Task<JournalEntry?> FindAsync(string incidentId, string entryId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_ids.Contains(entryId) ? _entries.FirstOrDefault(e => e.Id == entryId && e.IncidentId == incidentId) : null);
        }
    }

    public Task<IReadOnlyList<JournalEntry>> ReadAsync(string incidentId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<JournalEntry>>([.. _entries.Where(e => e.IncidentId == incidentId)]);
        }
    }
}
