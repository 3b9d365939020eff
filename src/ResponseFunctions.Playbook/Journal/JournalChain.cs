using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ResponseFunctions.Playbook.Journal;

/// <summary>
/// The hash chain of a durable main courante. Each line is {"seq","prev","hash","entry"}: <c>entry</c> is the
/// canonical JSON of the entry (<see cref="JournalJson.ToLine"/>), <c>hash</c> = SHA-256(prev + "\n" + entry JSON),
/// and <c>prev</c> is the previous line's hash (for line 1, a hash of the incident id, so a chain cannot be moved to
/// another incident). Altering a line breaks its hash; removing one breaks the next line's prev and seq.
/// Truncating the end cannot be seen from the chain alone: the export prints the last hash to be kept elsewhere.
/// </summary>
public static class JournalChain
{
    public static string Genesis(string incidentId) =>
        Hex(SHA256.HashData(Encoding.UTF8.GetBytes("ResponseFunctions main courante/" + incidentId.ToLowerInvariant())));

    public static ChainedLine Link(long seq, string previousHash, JournalEntry entry)
    {
        var json = JournalJson.ToLine(entry);
        var hash = HashOf(previousHash, json);
        return new ChainedLine(seq, previousHash, hash, $"{{\"seq\":{seq},\"prev\":\"{previousHash}\",\"hash\":\"{hash}\",\"entry\":{json}}}\n");
    }

    /// <summary>Reads every line, checking the chain; entries are returned up to the end even past a break, so nothing is hidden.</summary>
    public static ChainRead Read(string incidentId, string text)
    {
        var entries = new List<JournalEntry>();
        var previous = Genesis(incidentId);
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
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                var seq = root.GetProperty("seq").GetInt64();
                var prev = root.GetProperty("prev").GetString();
                var hash = root.GetProperty("hash").GetString();
                var entryJson = root.GetProperty("entry").GetRawText();
                var entry = JournalJson.FromLine(entryJson);
                entries.Add(entry);
                if (broken is not null)
                {
                    previous = hash ?? string.Empty;
                    continue;
                }

                if (seq != number)
                {
                    broken = Broken(number, $"sequence {seq} where {number} was expected (an entry was removed or inserted)");
                }
                else if (!string.Equals(prev, previous, StringComparison.Ordinal))
                {
                    broken = Broken(number, "it does not follow the previous entry's hash (an entry was removed, inserted or reordered)");
                }
                else if (!string.Equals(hash, HashOf(previous, entryJson), StringComparison.Ordinal))
                {
                    broken = Broken(number, "its content does not match its hash (the entry was altered)");
                }
                else if (!string.Equals(entry.IncidentId, incidentId, StringComparison.OrdinalIgnoreCase))
                {
                    broken = Broken(number, $"it belongs to incident {entry.IncidentId}");
                }

                previous = hash ?? string.Empty;
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                broken ??= Broken(number, "it is not a chained journal line");
            }
        }

        return new ChainRead(entries, (broken ?? new ChainVerification(true, 0, null, null)) with { Entries = entries.Count, LastHash = previous.Length > 0 ? previous : null }, previous, count);
    }

    private static ChainVerification Broken(int line, string problem) => new(false, 0, line, problem);

    private static string HashOf(string previousHash, string entryJson) =>
        Hex(SHA256.HashData(Encoding.UTF8.GetBytes(previousHash + "\n" + entryJson)));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}

/// <summary>One line ready to append, with the hash the next line will point to.</summary>
public sealed record ChainedLine(long Seq, string PreviousHash, string Hash, string Text);

/// <summary>A whole chain as read: its entries, the verification, the last hash and line count.</summary>
public sealed record ChainRead(IReadOnlyList<JournalEntry> Entries, ChainVerification Verification, string LastHash, int Lines);
