using System.Collections.Concurrent;
using System.Diagnostics;
using ResponseFunctions.Playbook.Journal;

namespace ResponseFunctions.Cli.Bench;

/// <summary>The main courante as the bench sees it: every entry passes through to the real journal and is remembered with when it was written.</summary>
internal sealed class TimedJournal(IJournal inner, Stopwatch clock) : IJournal
{
    private readonly ConcurrentQueue<(JournalEntry Entry, TimeSpan At)> _written = new();

    public IReadOnlyCollection<(JournalEntry Entry, TimeSpan At)> Written => _written;

    public async Task AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        await inner.AppendAsync(entry, cancellationToken);
        _written.Enqueue((entry, clock.Elapsed));
    }

    public async Task AppendManyAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        await inner.AppendManyAsync(entries, cancellationToken);
        foreach (var entry in entries)
        {
            _written.Enqueue((entry, clock.Elapsed));
        }
    }

    public Task<IReadOnlyList<JournalEntry>> ReadAsync(string incidentId, CancellationToken cancellationToken) => inner.ReadAsync(incidentId, cancellationToken);

    public Task<JournalEntry?> FindAsync(string incidentId, string entryId, CancellationToken cancellationToken) => inner.FindAsync(incidentId, entryId, cancellationToken);
}
