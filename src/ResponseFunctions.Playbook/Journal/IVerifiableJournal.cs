namespace ResponseFunctions.Playbook.Journal;

/// <summary>A journal whose entries are chained under a key, so removing, altering, forging or (against an anchor) truncating one is detected.</summary>
public interface IVerifiableJournal : IJournal
{
    /// <param name="anchor">The head and count recorded outside the journal (a Sentinel comment, an export); null to check the chain alone.</param>
    Task<ChainVerification> VerifyAsync(string incidentId, ChainAnchor? anchor, CancellationToken cancellationToken);
}

/// <summary>The result of checking a chain: intact, or the first line (1-based) where it breaks and why; with the chain's current head.</summary>
public sealed record ChainVerification(bool Intact, int Entries, int? FirstBrokenLine, string? Problem)
{
    /// <summary>The hash of the last line: kept outside the journal (the export prints it), it shows a later truncation.</summary>
    public string? LastHash { get; init; }

    /// <summary>The last line's count and hash: what to keep outside the journal to detect a later truncation.</summary>
    public ChainAnchor? Head { get; init; }

    public override string ToString() =>
        (Intact ? $"intact ({Entries} entries, HMAC-SHA256 chain verified)" : $"BROKEN at line {FirstBrokenLine}: {Problem}")
        + (Head is { Entries: > 0 } head ? $"; chain head {head}" : string.Empty);
}
