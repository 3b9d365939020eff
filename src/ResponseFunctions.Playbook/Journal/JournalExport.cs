using System.Text;

namespace ResponseFunctions.Playbook.Journal;

/// <summary>
/// The main courante as a CERT reads it: JSON Lines (the entries as stored), CSV (RFC 4180, safe to open in a
/// spreadsheet) or Markdown (a dated table: time UTC, who, action, targets, outcome, detail, under a header with the
/// incident and the chain verification).
/// </summary>
public static class JournalExport
{
    public static IReadOnlyList<string> Formats { get; } = ["jsonl", "csv", "md"];

    public static (string ContentType, string Extension) MediaOf(string format) => format switch
    {
        "jsonl" => ("application/x-ndjson; charset=utf-8", "jsonl"),
        "csv" => ("text/csv; charset=utf-8", "csv"),
        "md" => ("text/markdown; charset=utf-8", "md"),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown journal export format."),
    };

    public static string Render(string format, string incidentId, IReadOnlyList<JournalEntry> entries, ChainVerification? verification) => format switch
    {
        "jsonl" => JsonLines(entries),
        "csv" => Csv(entries),
        "md" => Markdown(incidentId, entries, verification),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown journal export format."),
    };

    public static string JsonLines(IReadOnlyList<JournalEntry> entries) =>
        string.Concat(entries.Select(e => JournalJson.ToLine(e) + "\n"));

    public static string Csv(IReadOnlyList<JournalEntry> entries)
    {
        var csv = new StringBuilder();
        Row(csv, ["time_utc", "who", "action", "target", "outcome", "detail", "entry_id"]);
        foreach (var e in entries)
        {
            Row(csv, [Utc(e.At), e.Actor, e.Action, e.Target, e.Outcome, e.Detail, e.Id]);
        }

        return csv.ToString();
    }

    /// <summary>One RFC 4180 cell: quoted when needed, and neutralised when a spreadsheet would read it as a formula.</summary>
    public static string CsvCell(string value)
    {
        // =, +, - and @ start formulas in Excel/LibreOffice (so do tab and CR); a leading ' makes them text.
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    public static string Markdown(string incidentId, IReadOnlyList<JournalEntry> entries, ChainVerification? verification)
    {
        var md = new StringBuilder();
        md.Append("# Main courante — incident ").Append(Escape(incidentId)).Append("\n\n");
        md.Append("- Entries: ").Append(entries.Count).Append('\n');
        if (entries.Count > 0)
        {
            md.Append("- From ").Append(Utc(entries[0].At)).Append(" to ").Append(Utc(entries[^1].At)).Append(" (UTC)\n");
        }

        md.Append("- Chain verification: ").Append(verification is null ? "not applicable (file journal, not hash-chained)" : Escape(verification.ToString())).Append("\n\n");
        md.Append("| Time (UTC) | Who | Action | Targets | Outcome | Detail |\n|---|---|---|---|---|---|\n");
        foreach (var e in entries)
        {
            md.Append("| ").Append(Utc(e.At)).Append(" | ").Append(Escape(e.Actor)).Append(" | ").Append(Escape(e.Action)).Append(" | ")
                .Append(Escape(e.Target)).Append(" | ").Append(Escape(e.Outcome)).Append(" | ").Append(Escape(e.Detail)).Append(" |\n");
        }

        return md.ToString();
    }

    private static void Row(StringBuilder csv, IEnumerable<string> cells) =>
        csv.Append(string.Join(",", cells.Select(CsvCell))).Append("\r\n");

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    // Table cells: a pipe would end the cell and a newline the row; HTML is neutralised so a rendered log shows text only.
    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\r\n", "<br>", StringComparison.Ordinal).Replace("\n", "<br>", StringComparison.Ordinal).Replace("\r", "<br>", StringComparison.Ordinal);
}
