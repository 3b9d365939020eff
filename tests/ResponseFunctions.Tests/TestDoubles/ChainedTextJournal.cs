using System.Text;
using ResponseFunctions.Playbook.Journal;

namespace ResponseFunctions.Tests.TestDoubles;

/// <summary>
/// The blob journal's chained lines (<see cref="JournalChain"/>, the same code) kept in memory instead of an append blob,
/// so an HTTP test can edit or cut the stored text as someone with write access to the storage account would.
/// </summary>
internal sealed class ChainedTextJournal(JournalChainKey key) : IVerifiableJournal
{
    private readonly Dictionary<string, StringBuilder> _texts = new(StringComparer.OrdinalIgnoreCase);

    public Task AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        var text = _texts.TryGetValue(entry.IncidentId, out var existing) ? existing : _texts[entry.IncidentId] = new StringBuilder();
        var read = JournalChain.Read(key, entry.IncidentId, text.ToString());
        text.Append(JournalChain.Link(key, read.Lines + 1, read.LastHash, entry).Text);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<JournalEntry>> ReadAsync(string incidentId, CancellationToken cancellationToken) =>
        Task.FromResult(JournalChain.Read(key, incidentId, Text(incidentId)).Entries);

    public Task<ChainVerification> VerifyAsync(string incidentId, ChainAnchor? anchor, CancellationToken cancellationToken) =>
        Task.FromResult(JournalChain.Read(key, incidentId, Text(incidentId), anchor).Verification);

    public string Text(string incidentId) => _texts.TryGetValue(incidentId, out var text) ? text.ToString() : string.Empty;

    /// <summary>Replaces the stored text, as a storage writer without the chain key could.</summary>
    public void Overwrite(string incidentId, string text) => _texts[incidentId] = new StringBuilder(text);
}
