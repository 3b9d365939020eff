namespace ResponseFunctions.Playbook.Journal;

/// <summary>A journal whose entries are hash-chained, so removing or altering one is detected.</summary>
public interface IVerifiableJournal : IJournal
{
    Task<ChainVerification> VerifyAsync(string incidentId, CancellationToken cancellationToken);
}

/// <summary>The result of checking a chain: intact, or the first line (1-based) where it breaks and why.</summary>
public sealed record ChainVerification(bool Intact, int Entries, int? FirstBrokenLine, string? Problem)
{
    /// <summary>The hash of the last line: kept outside the journal (the export prints it), it shows a later truncation.</summary>
    public string? LastHash { get; init; }

    public override string ToString() =>
        Intact ? $"intact ({Entries} entries, SHA-256 chain verified)" : $"BROKEN at line {FirstBrokenLine}: {Problem}";
}
