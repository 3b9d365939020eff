using ResponseFunctions.Playbook.Journal;

namespace ResponseFunctions.Playbook.Tests.Journal;

public sealed class JournalExportTests
{
    private static readonly JournalEntry[] Entries =
    [
        new("i/00/started", new DateTimeOffset(2026, 3, 14, 10, 0, 0, TimeSpan.FromHours(1)), "INC-7", "analyst@contoso.com", "containment.started",
            "users: adele@contoso.com", "containment-requested", "Reason: phishing, \"urgent\""),
        new("i/03/apply", new DateTimeOffset(2026, 3, 14, 9, 5, 0, TimeSpan.Zero), "INC-7", "ResponseFunctions", "1.c",
            "adele | ops", "apply:applied", "=HYPERLINK(\"http://evil\")\nsecond line"),
    ];

    [Fact]
    public void JsonLines_EveryEntry_OneParsableLineInUtc()
    {
        var lines = JournalExport.JsonLines(Entries).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, lines.Length);
        Assert.Equal(Entries[0] with { At = Entries[0].At.ToUniversalTime() }, JournalJson.FromLine(lines[0]));
        Assert.Contains("\"at\":\"2026-03-14T09:00:00+00:00\"", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_QuotesAndFormulas_Rfc4180AndNeutralised()
    {
        var rows = JournalExport.Csv(Entries).Split("\r\n");

        Assert.Equal("time_utc,who,action,target,outcome,detail,entry_id", rows[0]);
        Assert.Equal("2026-03-14 09:00:00Z,analyst@contoso.com,containment.started,users: adele@contoso.com,containment-requested,\"Reason: phishing, \"\"urgent\"\"\",i/00/started", rows[1]);
        Assert.StartsWith("2026-03-14 09:05:00Z,ResponseFunctions,1.c,adele | ops,apply:applied,\"'=HYPERLINK(\"\"http://evil\"\")\nsecond line\",i/03/apply", rows[2], StringComparison.Ordinal);
        Assert.Equal("'+33 6", JournalExport.CsvCell("+33 6"));
        Assert.Equal("'-1", JournalExport.CsvCell("-1"));
        Assert.Equal("'@SUM(A1)", JournalExport.CsvCell("@SUM(A1)"));
    }

    [Fact]
    public void Markdown_Log_HeaderWithIncidentAndChainThenOneRowPerEntry()
    {
        var md = JournalExport.Markdown("INC-7", Entries, new ChainVerification(true, 2, null, null));
        var lines = md.Split('\n');

        Assert.Equal("# Main courante — incident INC-7", lines[0]);
        Assert.Contains("- Chain verification: intact (2 entries, SHA-256 chain verified)", lines);
        Assert.Contains("| Time (UTC) | Who | Action | Targets | Outcome | Detail |", lines);
        Assert.Contains("| 2026-03-14 09:05:00Z | ResponseFunctions | 1.c | adele \\| ops | apply:applied | =HYPERLINK(\"http://evil\")<br>second line |", lines);
    }

    [Fact]
    public void Markdown_BrokenChain_SaysWhere()
    {
        var md = JournalExport.Markdown("INC-7", Entries, new ChainVerification(false, 2, 2, "its content does not match its hash (the entry was altered)"));

        Assert.Contains("- Chain verification: BROKEN at line 2: its content does not match its hash (the entry was altered)", md.Split('\n'));
    }
}
