using ResponseFunctions.Playbook.Journal;

namespace ResponseFunctions.Cli.Terminal;

/// <summary>Writes the main courante and shows each new line on the terminal as it is written: the drill's running commentary.</summary>
internal sealed class EchoJournal(IJournal inner, TextWriter output) : IJournal
{
    private readonly HashSet<string> _shown = [];
    private readonly Lock _lock = new();

    public async Task AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        await inner.AppendAsync(entry, cancellationToken);
        lock (_lock)
        {
            if (_shown.Add(entry.Id))
            {
                output.WriteLine($"{entry.At.UtcDateTime:HH:mm:ss}Z  {entry.Action,-20} {entry.Outcome,-26} {entry.Target}");
                output.WriteLine($"           {entry.Actor}: {entry.Detail}");
            }
        }
    }

    public Task<IReadOnlyList<JournalEntry>> ReadAsync(string incidentId, CancellationToken cancellationToken) =>
        inner.ReadAsync(incidentId, cancellationToken);
}
