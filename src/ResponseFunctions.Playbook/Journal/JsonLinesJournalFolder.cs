using System.Collections.Concurrent;

namespace ResponseFunctions.Playbook.Journal;

/// <summary>One JSON Lines file per incident in a folder: the main courante of a host that runs many incidents.</summary>
public sealed class JsonLinesJournalFolder(string folder) : IJournal
{
    private readonly ConcurrentDictionary<string, JsonLinesJournal> _journals = new(StringComparer.OrdinalIgnoreCase);

    public string Folder { get; } = Path.GetFullPath(folder);

    public Task AppendAsync(JournalEntry entry, CancellationToken cancellationToken) =>
        JournalOf(entry.IncidentId).AppendAsync(entry, cancellationToken);

    public Task<IReadOnlyList<JournalEntry>> ReadAsync(string incidentId, CancellationToken cancellationToken) =>
        JournalOf(incidentId).ReadAsync(incidentId, cancellationToken);

    public Task<JournalEntry?> FindAsync(string incidentId, string entryId, CancellationToken cancellationToken) =>
        JournalOf(incidentId).FindAsync(incidentId, entryId, cancellationToken);

    // Incident ids are validated at intake (letters, digits, '.', '_', '-'), so they are safe file names.
    private JsonLinesJournal JournalOf(string incidentId) =>
        _journals.GetOrAdd(incidentId, id => new JsonLinesJournal(Path.Combine(Folder, $"{id.ToLowerInvariant()}.jsonl")));
}
