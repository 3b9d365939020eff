using System.Text;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Journal.Blob;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Requests;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Journal;

/// <summary>
/// The orchestration's output keeps the main courante's anchor (issue 9, point 10): a copy of the chain head outside
/// the storage account, read after the last entry, against which a journal cut short is detected. Real engine, Azurite.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class JournalAnchorFlowTests(AzuriteFixture azurite)
{
    private const string Incident = "INC-TEST-1";
    private readonly string _container = AzuriteFixture.NewContainer();

    [Fact]
    public async Task Contain_BlobJournal_OutputCarriesTheAnchorOfEveryEntryIncludingTheCompletion()
    {
        await using var harness = await PlaybookHarness.StartAsync(wrapJournal: _ => Journal());

        var report = await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Approve);

        Assert.Equal(ContainmentPhase.Completed, report.Phase);
        var anchor = Assert.IsType<ChainAnchor>(report.JournalAnchor);
        var lines = await LinesAsync();
        Assert.Equal(lines.Length, anchor.Entries);
        Assert.Equal(System.Text.Json.JsonDocument.Parse(lines[^1]).RootElement.GetProperty("hash").GetString(), anchor.Head);
        var entries = await Journal().ReadAsync(Incident, CancellationToken.None);
        Assert.Contains(entries, e => e.Action == JournalEvents.Completed);
        Assert.True((await Journal().VerifyAsync(Incident, anchor, CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task Verify_BlobTruncatedAfterTheOutputsAnchor_ReportsTheTruncation()
    {
        await using var harness = await PlaybookHarness.StartAsync(wrapJournal: _ => Journal());
        var report = await harness.RunAsync(PlaybookHarness.Request(ContainmentMode.Plan), ApprovalVerdict.Approve);
        var anchor = report.JournalAnchor!;

        // Someone with write access to the storage account drops the last entries: the chain left is self-consistent.
        var lines = await LinesAsync();
        await RewriteAsync(lines[..^2]);

        Assert.True((await Journal().VerifyAsync(Incident, null, CancellationToken.None)).Intact);
        var verification = await Journal().VerifyAsync(Incident, anchor, CancellationToken.None);
        Assert.False(verification.Intact);
        Assert.Equal(lines.Length - 1, verification.FirstBrokenLine);
        Assert.Contains("truncated", verification.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contain_InMemoryJournal_OutputHasNoAnchor()
    {
        await using var harness = await PlaybookHarness.StartAsync();

        var report = await harness.RunAsync(PlaybookHarness.Request(ContainmentMode.Plan), ApprovalVerdict.Approve);

        Assert.Equal(ContainmentPhase.Planned, report.Phase);
        Assert.NotEmpty(await harness.Journal.ReadAsync(Incident, CancellationToken.None));
        Assert.Null(report.JournalAnchor);
    }

    private BlobJournal Journal() => new(azurite.Store, AzuriteFixture.ChainKey, _container);

    private async Task<string[]> LinesAsync()
    {
        var blob = await azurite.Store.ReadAsync(_container, BlobJournal.BlobName(Incident), CancellationToken.None);
        return Encoding.UTF8.GetString(blob!.Value.Content).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private async Task RewriteAsync(IEnumerable<string> lines)
    {
        var blob = BlobJournal.BlobName(Incident);
        await azurite.Store.DeleteAsync(_container, blob, CancellationToken.None);
        await azurite.Store.CreateAppendBlobAsync(_container, blob, CancellationToken.None);
        await azurite.Store.AppendAsync(_container, blob, Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))), CancellationToken.None);
    }
}
