using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ResponseFunctions.Playbook.Journal;

/// <summary>
/// The keyed chain of a durable main courante. Each line is {"seq","prev","hash","entry"}: <c>entry</c> is the
/// canonical JSON of the entry (<see cref="JournalJson.ToLine"/>), <c>hash</c> = HMAC-SHA256(key, seq + "\n" + prev
/// + "\n" + entry JSON) and <c>prev</c> is the previous line's hash (for line 1, a keyed hash of the incident id, so
/// a chain cannot be moved to another incident). The key is held outside the storage account (Key Vault), so
/// someone who can write the blob can neither re-chain edited lines nor forge a line: each line's MAC binds it to
/// its position. Truncating the end is caught against a <see cref="ChainAnchor"/> kept outside the blob.
/// </summary>
public static class JournalChain
{
    public static string Genesis(JournalChainKey key, string incidentId) =>
        Mac(key, "ResponseFunctions main courante/" + incidentId.ToLowerInvariant());

    public static ChainedLine Link(JournalChainKey key, long seq, string previousHash, JournalEntry entry)
    {
        var json = JournalJson.ToLine(entry);
        var hash = HashOf(key, seq, previousHash, json);
        return new ChainedLine(seq, previousHash, hash, $"{{\"seq\":{seq},\"prev\":\"{previousHash}\",\"hash\":\"{hash}\",\"entry\":{json}}}\n");
    }

    /// <summary>
    /// Reads every line, checking the chain (and the anchor when one is given); entries are returned up to the end
    /// even past a break, so nothing is hidden. <see cref="ChainRead.AuthenticIds"/> holds only ids of lines whose
    /// own MAC is valid at their position: a planted line can never make the journal skip the real entry.
    /// </summary>
    public static ChainRead Read(JournalChainKey key, string incidentId, string text, ChainAnchor? anchor = null)
    {
        var entries = new List<JournalEntry>();
        var authentic = new HashSet<string>(StringComparer.Ordinal);
        var previous = Genesis(key, incidentId);
        var hashes = new List<string>();
        ChainVerification? broken = null;
        var lines = text.Split('\n');
        var count = text.Length == 0 ? 0 : text.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        for (var i = 0; i < count; i++)
        {
            var number = i + 1;
            var line = lines[i];
            if (i == count - 1 && !text.EndsWith('\n') && line.Length > 0)
            {
                broken ??= Broken(number, "the last line is incomplete");
            }

            try
            {
                using var document = JsonDocument.Parse(line, new JsonDocumentOptions { AllowDuplicateProperties = false });
                var root = document.RootElement;
                var seq = root.GetProperty("seq").GetInt64();
                var prev = root.GetProperty("prev").GetString() ?? string.Empty;
                var hash = root.GetProperty("hash").GetString() ?? string.Empty;
                var entryJson = root.GetProperty("entry").GetRawText();
                var entry = JournalJson.FromLine(entryJson);
                entries.Add(entry);
                hashes.Add(hash);
                var macValid = seq == number && FixedEquals(hash, HashOf(key, seq, prev, entryJson));
                if (macValid && string.Equals(entry.IncidentId, incidentId, StringComparison.OrdinalIgnoreCase))
                {
                    authentic.Add(entry.Id);
                }

                if (broken is null)
                {
                    broken = seq != number ? Broken(number, $"sequence {seq} where {number} was expected (an entry was removed or inserted)")
                        : !string.Equals(prev, previous, StringComparison.Ordinal) ? Broken(number, "it does not follow the previous entry's hash (an entry was removed, inserted or reordered)")
                        : !macValid ? Broken(number, "its content does not match its keyed hash (the entry was altered or forged)")
                        : !string.Equals(entry.IncidentId, incidentId, StringComparison.OrdinalIgnoreCase) ? Broken(number, $"it belongs to incident {entry.IncidentId}")
                        : null;
                }

                previous = hash;
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                hashes.Add(string.Empty);
                broken ??= Broken(number, "it is not a chained journal line");
            }
        }

        if (broken is null && anchor is not null)
        {
            broken = count < anchor.Entries
                ? Broken(count + 1, $"the journal ends after {count} entries but its anchor records {anchor.Entries} (it was truncated)")
                : !FixedEquals(hashes[anchor.Entries - 1], anchor.Head)
                    ? Broken(anchor.Entries, "it differs from the anchored chain head (the journal was rewritten)")
                    : null;
        }

        var head = new ChainAnchor(count, previous);
        var verification = (broken ?? new ChainVerification(true, 0, null, null)) with { Entries = entries.Count, Head = head, LastHash = count > 0 ? previous : null };
        return new ChainRead(entries, verification, previous, count, authentic);
    }

    private static ChainVerification Broken(int line, string problem) => new(false, 0, line, problem);

    private static string HashOf(JournalChainKey key, long seq, string previousHash, string entryJson) =>
        Mac(key, $"{seq}\n{previousHash}\n{entryJson}");

    private static string Mac(JournalChainKey key, string text) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key.Bytes, Encoding.UTF8.GetBytes(text)));

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}

/// <summary>The chain's key: at least 32 random bytes held outside the storage account (Key Vault). Never logged or journaled.</summary>
public sealed class JournalChainKey
{
    private JournalChainKey(byte[] bytes) => Bytes = bytes;

    internal byte[] Bytes { get; }

    /// <summary>Base64 of at least 32 bytes (e.g. <c>openssl rand -base64 32</c>, kept as a Key Vault secret).</summary>
    public static JournalChainKey FromBase64(string base64)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new FormatException("The journal chain key must be base64 of at least 32 bytes.");
        }

        return bytes.Length >= 32 ? new JournalChainKey(bytes) : throw new FormatException("The journal chain key must be base64 of at least 32 bytes.");
    }

    public override string ToString() => "(journal chain key)";
}

/// <summary>
/// The chain head and entry count, kept outside the blob (each Sentinel comment and every export carries them), so
/// a journal cut short or rewritten from some line on no longer verifies against it. Printed as "count:hash".
/// </summary>
public sealed record ChainAnchor(int Entries, string Head)
{
    public override string ToString() => $"{Entries}:{Head}";

    public static bool TryParse(string? text, out ChainAnchor? anchor)
    {
        anchor = null;
        var parts = text?.Trim().Split(':') ?? [];
        if (parts.Length == 2 && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count)
            && count > 0 && parts[1].Length == 64 && parts[1].All(Uri.IsHexDigit))
        {
            anchor = new ChainAnchor(count, parts[1].ToLowerInvariant());
        }

        return anchor is not null;
    }
}

/// <summary>One line ready to append, with the hash the next line will point to.</summary>
public sealed record ChainedLine(long Seq, string PreviousHash, string Hash, string Text);

/// <summary>A whole chain as read: its entries, the verification, the last hash and line count, and the ids of authentic lines.</summary>
public sealed record ChainRead(IReadOnlyList<JournalEntry> Entries, ChainVerification Verification, string LastHash, int Lines, IReadOnlySet<string> AuthenticIds);
