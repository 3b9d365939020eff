using System.Text.Json;
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
                WriteList(entry, "evidence", "evidence", e => $"{e.GetProperty("label").GetString()}: {e.GetProperty("value").GetString()}");
                WriteList(entry, "warnings", "warning", w => w.GetString() ?? string.Empty);
            }
        }
    }

    /// <summary>A plan's evidence and warnings, so the approver reads them before deciding.</summary>
    private void WriteList(JournalEntry entry, string property, string label, Func<JsonElement, string> format)
    {
        if (entry.Data is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty(property, out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                output.WriteLine($"           {label,-9} {format(item)}");
            }
        }
    }

    public Task<IReadOnlyList<JournalEntry>> ReadAsync(string incidentId, CancellationToken cancellationToken) =>
        inner.ReadAsync(incidentId, cancellationToken);

    public Task<JournalEntry?> FindAsync(string incidentId, string entryId, CancellationToken cancellationToken) => inner.FindAsync(incidentId, entryId, cancellationToken);
}
