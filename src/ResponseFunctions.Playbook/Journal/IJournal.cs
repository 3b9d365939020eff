namespace ResponseFunctions.Playbook.Journal;

/// <summary>The main courante: append-only, in order, one per incident. Appending an entry whose id is already there does nothing.</summary>
public interface IJournal
{
    Task AppendAsync(JournalEntry entry, CancellationToken cancellationToken);

    Task<IReadOnlyList<JournalEntry>> ReadAsync(string incidentId, CancellationToken cancellationToken);
}
