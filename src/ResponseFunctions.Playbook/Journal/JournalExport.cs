using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ResponseFunctions.Playbook.Journal;

/// <summary>
/// The main courante as a CERT reads it: JSON Lines (the entries as stored); Markdown and printable HTML (a summary —
/// incident, source, time to contain, applied / rejected / timed out / manual — then the chronological journal with
/// action titles, an appendix with each change's before/after state, and the chain's entry count and last hash);
/// CSV (UTF-8 with a byte-order mark so spreadsheet tools keep accents, the Markdown table's columns, formulas
/// neutralised).
/// </summary>
public static class JournalExport
{
    public static IReadOnlyList<string> Formats { get; } = ["jsonl", "csv", "md", "html"];

    /// <summary>The journal table's columns, the same in Markdown, HTML and CSV.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["Time (UTC)", "Who", "Action", "Title", "Target", "Outcome", "Detail"];

    public static (string ContentType, string Extension) MediaOf(string format) => format switch
    {
        "jsonl" => ("application/x-ndjson; charset=utf-8", "jsonl"),
        "csv" => ("text/csv; charset=utf-8", "csv"),
        "md" => ("text/markdown; charset=utf-8", "md"),
        "html" => ("text/html; charset=utf-8", "html"),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown journal export format."),
    };

    public static string Render(string format, string incidentId, IReadOnlyList<JournalEntry> entries, ChainVerification? verification) => format switch
    {
        "jsonl" => JsonLines(entries),
        "csv" => Csv(entries),
        "md" => Markdown(incidentId, entries, verification),
        "html" => Html(incidentId, entries, verification),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown journal export format."),
    };

    public static string JsonLines(IReadOnlyList<JournalEntry> entries) =>
        string.Concat(entries.Select(e => JournalJson.ToLine(e) + "\n"));

    /// <summary>Starts with U+FEFF: written as UTF-8 it is the byte-order mark Excel needs to read the file as UTF-8.</summary>
    public static string Csv(IReadOnlyList<JournalEntry> entries)
    {
        var csv = new StringBuilder("\uFEFF");
        Row(csv, Columns);
        foreach (var e in entries)
        {
            Row(csv, Cells(e));
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
        var summary = MainCouranteSummary.From(incidentId, entries);
        var md = new StringBuilder();
        md.Append("# Main courante — incident ").Append(Escape(incidentId)).Append("\n\n## Summary\n\n");
        foreach (var (label, value) in Facts(summary, entries, verification))
        {
            md.Append("- ").Append(label).Append(": ").Append(Escape(value)).Append('\n');
        }

        if (summary.SourceUrl is { } url && SafeUrl(url) is { } link)
        {
            md.Append("- Incident link: <").Append(link).Append(">\n");
        }

        foreach (var (label, steps) in Outcomes(summary))
        {
            md.Append("\n**").Append(label).Append(" (").Append(steps.Count).Append(")**").Append(steps.Count == 0 ? " — none\n" : "\n\n");
            foreach (var step in steps)
            {
                md.Append("- ").Append(Escape(step)).Append('\n');
            }
        }

        md.Append("\n## Journal (chronological)\n\n| ").Append(string.Join(" | ", Columns)).Append(" |\n|").Append(string.Concat(Columns.Select(_ => "---|"))).Append('\n');
        foreach (var e in Chronological(entries))
        {
            md.Append("| ").Append(string.Join(" | ", Cells(e).Select(Escape))).Append(" |\n");
        }

        md.Append("\n## Appendix — state before and after each change\n");
        var changes = Changes(entries);
        if (changes.Count == 0)
        {
            md.Append("\nNo change was applied.\n");
        }

        foreach (var (entry, before, after) in changes)
        {
            md.Append("\n### ").Append(Escape($"{MainCouranteSummary.TitleOf(entry.Action)} — {entry.Target}")).Append("\n\n")
                .Append(Escape($"{Utc(entry.At)}, {entry.Outcome}")).Append("\n\nBefore:\n\n").Append(Fenced(before)).Append("\nAfter:\n\n").Append(Fenced(after));
        }

        md.Append("\n## Chain\n\n");
        foreach (var (label, value) in Chain(entries, verification))
        {
            md.Append("- ").Append(label).Append(": ").Append(Escape(value)).Append('\n');
        }

        return md.ToString();
    }

    /// <summary>The Markdown export's content as one self-contained, printable page (no script, no external resource).</summary>
    public static string Html(string incidentId, IReadOnlyList<JournalEntry> entries, ChainVerification? verification)
    {
        var summary = MainCouranteSummary.From(incidentId, entries);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
            .Append(E($"Main courante — incident {incidentId}")).Append("</title><style>").Append(PrintCss).Append("</style></head><body>");
        html.Append("<h1>").Append(E($"Main courante — incident {incidentId}")).Append("</h1><h2>Summary</h2><dl>");
        foreach (var (label, value) in Facts(summary, entries, verification))
        {
            html.Append("<dt>").Append(E(label)).Append("</dt><dd>").Append(E(value)).Append("</dd>");
        }

        if (summary.SourceUrl is { } url && SafeUrl(url) is { } link)
        {
            html.Append("<dt>Incident link</dt><dd><a href=\"").Append(E(link)).Append("\">").Append(E(link)).Append("</a></dd>");
        }

        html.Append("</dl><div class=\"outcomes\">");
        foreach (var (label, steps) in Outcomes(summary))
        {
            html.Append("<section><h3>").Append(E($"{label} ({steps.Count})")).Append("</h3>");
            html.Append(steps.Count == 0 ? "<p>none</p>" : "<ul>" + string.Concat(steps.Select(s => "<li>" + E(s) + "</li>")) + "</ul>");
            html.Append("</section>");
        }

        html.Append("</div><h2>Journal (chronological)</h2><table><thead><tr>");
        foreach (var column in Columns)
        {
            html.Append("<th scope=\"col\">").Append(E(column)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var e in Chronological(entries))
        {
            html.Append("<tr>").Append(string.Concat(Cells(e).Select(c => "<td>" + E(c).Replace("&#xA;", "<br>", StringComparison.Ordinal) + "</td>"))).Append("</tr>");
        }

        html.Append("</tbody></table><h2>Appendix — state before and after each change</h2>");
        var changes = Changes(entries);
        if (changes.Count == 0)
        {
            html.Append("<p>No change was applied.</p>");
        }

        foreach (var (entry, before, after) in changes)
        {
            html.Append("<section class=\"change\"><h3>").Append(E($"{MainCouranteSummary.TitleOf(entry.Action)} — {entry.Target}")).Append("</h3><p>")
                .Append(E($"{Utc(entry.At)}, {entry.Outcome}")).Append("</p><div class=\"pair\"><div><h4>Before</h4><pre>").Append(E(before)).Append("</pre></div><div><h4>After</h4><pre>")
                .Append(E(after)).Append("</pre></div></div></section>");
        }

        html.Append("<h2>Chain</h2><dl>");
        foreach (var (label, value) in Chain(entries, verification))
        {
            html.Append("<dt>").Append(E(label)).Append("</dt><dd><code>").Append(E(value)).Append("</code></dd>");
        }

        return html.Append("</dl></body></html>").ToString();
    }

    private static IEnumerable<(string Label, string Value)> Facts(MainCouranteSummary summary, IReadOnlyList<JournalEntry> entries, ChainVerification? verification)
    {
        yield return ("Incident", summary.IncidentId);
        yield return ("Source", summary.Source ?? "unknown (no request entry)");
        if (summary.Reason is { } reason)
        {
            yield return ("Reason", reason);
        }

        if (summary.RequestedBy is { } requestedBy)
        {
            yield return ("Requested by", requestedBy);
        }

        if (entries.Count > 0)
        {
            yield return ("Period (UTC)", $"{Utc(entries.Min(e => e.At))} to {Utc(entries.Max(e => e.At))}");
        }

        yield return ("Time to contain", summary.TimeToContain is { } took
            ? $"{(int)took.TotalHours} h {took.Minutes:00} min {took.Seconds:00} s (request to last change applied)"
            : "nothing applied");
        yield return ("Chain verification", verification is null ? "not applicable (file journal, not hash-chained)" : verification.ToString());
    }

    private static IEnumerable<(string Label, IReadOnlyList<string> Steps)> Outcomes(MainCouranteSummary summary)
    {
        yield return ("Applied", summary.Applied);
        yield return ("Rejected", summary.Rejected);
        yield return ("Timed out (not applied)", summary.TimedOut);
        yield return ("Left to do by hand", summary.Manual);
    }

    private static IEnumerable<(string Label, string Value)> Chain(IReadOnlyList<JournalEntry> entries, ChainVerification? verification)
    {
        yield return ("Entries", (verification?.Entries ?? entries.Count).ToString(CultureInfo.InvariantCulture));
        yield return ("Last hash (HMAC-SHA256)", verification?.LastHash ?? "none (file journal, not hash-chained)");
        if (verification?.Head is { Entries: > 0 } head)
        {
            yield return ("Anchor (journal verify --anchor)", head.ToString());
        }
    }

    /// <summary>Entries by time; the journal's own order breaks ties (a plan before its approval in the same second).</summary>
    private static IEnumerable<JournalEntry> Chronological(IReadOnlyList<JournalEntry> entries) =>
        entries.Select((e, i) => (e, i)).OrderBy(x => x.e.At).ThenBy(x => x.i).Select(x => x.e);

    private static string[] Cells(JournalEntry e) =>
        [Utc(e.At), e.Actor, e.Action, MainCouranteSummary.TitleOf(e.Action) == e.Action ? string.Empty : TitleOnly(e.Action), e.Target, e.Outcome, e.Detail];

    private static string TitleOnly(string action)
    {
        var title = MainCouranteSummary.TitleOf(action);
        return title.StartsWith(action + " ", StringComparison.Ordinal) ? title[(action.Length + 1)..] : title;
    }

    private static List<(JournalEntry Entry, string Before, string After)> Changes(IReadOnlyList<JournalEntry> entries) =>
        [.. entries
            .Where(e => e.Outcome.StartsWith("apply:", StringComparison.Ordinal) && e.Data is { ValueKind: JsonValueKind.Object })
            .Select(e => (e, Pretty(e.Data!.Value, "before"), Pretty(e.Data!.Value, "after")))];

    private static string Pretty(JsonElement data, string property) =>
        data.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null
            ? JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
            : "(not recorded)";

    /// <summary>A code block whose fence is longer than any run of backticks inside, so the content cannot close it.</summary>
    private static string Fenced(string text)
    {
        var longest = 0;
        var run = 0;
        foreach (var c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        var fence = new string('`', Math.Max(3, longest + 1));
        return $"{fence}json\n{text}\n{fence}\n";
    }

    private static void Row(StringBuilder csv, IEnumerable<string> cells) =>
        csv.Append(string.Join(",", cells.Select(CsvCell))).Append("\r\n");

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string? SafeUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps ? uri.AbsoluteUri : null;

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    private static string E(string value) => Encoder.Encode(value);

    // Table cells: a pipe would end the cell and a newline the row; HTML is neutralised so a rendered log shows text only.
    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\r\n", "<br>", StringComparison.Ordinal).Replace("\n", "<br>", StringComparison.Ordinal).Replace("\r", "<br>", StringComparison.Ordinal);

    private const string PrintCss =
        "body{font:14px/1.45 system-ui,'Segoe UI',Roboto,sans-serif;color:#111;margin:24px auto;max-width:1200px;padding:0 16px}"
        + "h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:2px solid #111;padding-bottom:4px;margin-top:2rem}h3{font-size:1.05rem}"
        + "dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}"
        + ".outcomes{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:12px}.outcomes section{border:1px solid #999;padding:4px 12px}"
        + "table{border-collapse:collapse;width:100%;font-size:12.5px}th,td{border:1px solid #999;padding:4px 6px;vertical-align:top;text-align:left;overflow-wrap:anywhere}"
        + "thead th{background:#eee}td:nth-child(1){white-space:nowrap}th:nth-child(2){width:9%}th:nth-child(3){width:5%}th:nth-child(4){width:13%}th:nth-child(5){width:14%}th:nth-child(6){width:8%}tr:nth-child(even) td{background:#fafafa}"
        + ".pair{display:grid;grid-template-columns:1fr 1fr;gap:12px}pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f6;border:1px solid #ccc;padding:8px;font-size:12px}"
        + "code{overflow-wrap:anywhere}"
        + "@media print{body{margin:0;max-width:none}thead{display:table-header-group}tr,section.change{break-inside:avoid}a{color:#111}}";
}
