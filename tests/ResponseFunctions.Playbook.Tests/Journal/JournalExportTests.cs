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

        Assert.Equal("\uFEFFTime (UTC),Who,Action,Title,Target,Outcome,Detail", rows[0]);
        Assert.Equal("2026-03-14 09:00:00Z,analyst@contoso.com,containment.started,Containment requested,users: adele@contoso.com,containment-requested,\"Reason: phishing, \"\"urgent\"\"\"", rows[1]);
        Assert.Equal("2026-03-14 09:05:00Z,ResponseFunctions,1.c,Disable the account,adele | ops,apply:applied,\"'=HYPERLINK(\"\"http://evil\"\")\nsecond line\"", rows[2]);
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
        Assert.Contains("- Chain verification: intact (2 entries, HMAC-SHA256 chain verified)", lines);
        Assert.Contains("| Time (UTC) | Who | Action | Title | Target | Outcome | Detail |", lines);
        Assert.Contains("| 2026-03-14 09:05:00Z | ResponseFunctions | 1.c | Disable the account | adele \\| ops | apply:applied | =HYPERLINK(\"http://evil\")<br>second line |", lines);
    }

    [Fact]
    public void Markdown_BrokenChain_SaysWhere()
    {
        var md = JournalExport.Markdown("INC-7", Entries, new ChainVerification(false, 2, 2, "its content does not match its hash (the entry was altered)"));

        Assert.Contains("- Chain verification: BROKEN at line 2: its content does not match its hash (the entry was altered)", md.Split('\n'));
    }

    [Fact]
    public void Csv_Encoding_Utf8ByteOrderMarkAndTheMarkdownTablesColumns()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(JournalExport.Csv(Entries));
        var markdownHeader = JournalExport.Markdown("INC-7", Entries, null).Split('\n').First(l => l.StartsWith("| Time (UTC)", StringComparison.Ordinal));

        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal(markdownHeader.Trim('|', ' ').Split(" | "), System.Text.Encoding.UTF8.GetString(bytes[3..]).Split("\r\n")[0].Split(','));
    }

    [Fact]
    public void Markdown_Containment_SummaryFirstThenJournalThenBeforeAfterThenChain()
    {
        var md = JournalExport.Markdown("SENTINEL-42", Containment, new ChainVerification(true, 9, null, null) { LastHash = "ab12cd" });
        var lines = md.Split('\n');

        Assert.Contains("- Source: Microsoft Sentinel 42 — Password spray on Adele", lines);
        Assert.Contains("- Incident link: <https://portal.azure.com/#incident/42>", lines);
        Assert.Contains("- Time to contain: 0 h 07 min 00 s (request to last change applied)", lines);
        Assert.Contains("**Applied (1)**", lines);
        Assert.Contains("- 1.c Disable the account — adele", lines);
        Assert.Contains("**Rejected (1)**", lines);
        Assert.Contains("- 1.a Reset the password of the compromised account — adele", lines);
        Assert.Contains("**Timed out (not applied) (1)**", lines);
        Assert.Contains("- 1.b Revoke active sign-in sessions — adele", lines);
        Assert.Contains("**Left to do by hand (1)**", lines);
        Assert.Contains(lines, l => l.StartsWith("- 3.a ", StringComparison.Ordinal) && l.EndsWith("(not automated)", StringComparison.Ordinal));
        var order = new[] { "## Summary", "## Journal (chronological)", "## Appendix — state before and after each change", "## Chain" }.Select(h => Array.IndexOf(lines, h)).ToArray();
        Assert.Equal(order.Order(), order);
        Assert.DoesNotContain(-1, order);
        Assert.Contains("  \"accountEnabled\": true", lines);
        Assert.Contains("  \"accountEnabled\": false", lines);
        Assert.Equal(2, lines.Count(l => l.Contains("| approval:submitted-approve |", StringComparison.Ordinal)));
        Assert.Equal(["- Entries: 9", "- Last hash (HMAC-SHA256): ab12cd"], lines.Where(l => l.Length > 0).TakeLast(2));
    }

    [Fact]
    public void Html_Containment_PrintableSelfContainedAndEncoded()
    {
        var html = JournalExport.Html("SENTINEL-42", [.. Containment, Entries[1]], null);

        Assert.StartsWith("<!DOCTYPE html><html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("=HYPERLINK(&quot;http://evil&quot;)<br>second line", html, StringComparison.Ordinal);
        Assert.Contains("<h3>Applied (2)</h3>", html, StringComparison.Ordinal);
        Assert.Contains("none (file journal, not hash-chained)", html, StringComparison.Ordinal);
    }

    private static readonly DateTimeOffset T0 = new(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);

    private static readonly JournalEntry[] Containment =
    [
        new("c/00/started", T0, "SENTINEL-42", "Microsoft Sentinel", "containment.started", "users: adele", "containment-requested", "Cases 1.")
        {
            Data = System.Text.Json.JsonSerializer.SerializeToElement(new
            {
                reason = "Microsoft Sentinel 42 'Password spray on Adele'",
                triage = new { source = new { system = "Microsoft Sentinel", number = "42", title = "Password spray on Adele", url = "https://portal.azure.com/#incident/42" } },
            }),
        },
        new("c/01/plan", T0.AddMinutes(1), "SENTINEL-42", "ResponseFunctions", "1.a", "adele", "plan:change-required", "Reset."),
        new("c/02/plan", T0.AddMinutes(1), "SENTINEL-42", "ResponseFunctions", "1.b", "adele", "plan:change-required", "Revoke."),
        new("c/03/plan", T0.AddMinutes(1), "SENTINEL-42", "ResponseFunctions", "1.c", "adele", "plan:change-required", "Disable."),
        new("c/04/plan", T0.AddMinutes(1), "SENTINEL-42", "ResponseFunctions", "3.a", "vm1", "plan:not-built", "By hand."),
        new("c/01/page-x", T0.AddMinutes(3), "SENTINEL-42", "chloe", "1.a", "adele", "approval:submitted-reject", "chloe rejected."),
        new("c/01/decision", T0.AddMinutes(3), "SENTINEL-42", "chloe", "1.a", "adele", "approval:rejected", "chloe rejected at 09:03."),
        new("c/03/page-y", T0.AddMinutes(5), "SENTINEL-42", "bob", "1.c", "adele", "approval:submitted-approve", "bob approved."),
        new("c/03/page-z", T0.AddMinutes(6), "SENTINEL-42", "alice", "1.c", "adele", "approval:submitted-approve", "alice approved."),
        new("c/03/decision", T0.AddMinutes(6), "SENTINEL-42", "bob + alice", "1.c", "adele", "approval:approved", "bob and alice approved."),
        new("c/03/apply", T0.AddMinutes(7), "SENTINEL-42", "ResponseFunctions", "1.c", "adele", "apply:applied", "Disabled.")
        {
            Data = System.Text.Json.JsonSerializer.SerializeToElement(new { before = new { accountEnabled = true }, after = new { accountEnabled = false } }),
        },
        new("c/02/decision", T0.AddMinutes(30), "SENTINEL-42", "policy", "1.b", "adele", "approval:timed-out", "No decision."),
    ];
}
