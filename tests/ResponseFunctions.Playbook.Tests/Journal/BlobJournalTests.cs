using System.Text;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Journal.Blob;

namespace ResponseFunctions.Playbook.Tests.Journal;

/// <summary>The durable main courante against Azurite: chain, restart, tamper detection, concurrency, idempotency.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobJournalTests(AzuriteFixture azurite)
{
    private const string Incident = "INC-2026-0042";
    private static readonly DateTimeOffset Start = new(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private readonly string _container = AzuriteFixture.NewContainer();

    [Fact]
    public async Task Append_ThenRead_EntriesInOrderAndChainIntact()
    {
        var journal = Journal();

        await AppendAsync(journal, 3);

        Assert.Equal(["e1", "e2", "e3"], (await journal.ReadAsync(Incident, CancellationToken.None)).Select(e => e.Id));
        var verification = await journal.VerifyAsync(Incident, null, CancellationToken.None);
        Assert.Equal(new ChainVerification(true, 3, null, null), verification with { LastHash = null, Head = null });
        Assert.Matches("^[0-9a-f]{64}$", verification.LastHash);
        Assert.Equal(System.Text.Json.JsonDocument.Parse((await LinesAsync())[^1]).RootElement.GetProperty("hash").GetString(), verification.LastHash);
        Assert.Equal(new ChainAnchor(3, verification.LastHash!), verification.Head);
        await AppendAsync(journal, 4);
        Assert.NotEqual(verification.LastHash, (await journal.VerifyAsync(Incident, null, CancellationToken.None)).LastHash);
    }

    [Fact]
    public async Task Append_SameIdTwice_WrittenOnce()
    {
        var journal = Journal();
        await AppendAsync(journal, 2);

        await journal.AppendAsync(Entry(2) with { Detail = "retried" }, CancellationToken.None);
        await Journal().AppendAsync(Entry(1), CancellationToken.None);

        var entries = await journal.ReadAsync(Incident, CancellationToken.None);
        Assert.Equal(["e1", "e2"], entries.Select(e => e.Id));
        Assert.Equal("step 2", entries[1].Detail);
    }

    [Fact]
    public async Task Find_EntryAnotherInstanceAppendedAfterThisOnesLastWrite_FoundAndAnAbsentIdIsNull()
    {
        var first = Journal();
        var second = Journal();
        await AppendAsync(first, 2);
        Assert.Null(await first.FindAsync(Incident, "e3", CancellationToken.None));

        // The other instance (another host of the app) writes e3: what the first knows of the journal is now stale.
        await second.AppendAsync(Entry(3), CancellationToken.None);

        Assert.Equal("step 3", (await first.FindAsync(Incident, "e3", CancellationToken.None))?.Detail);
        Assert.Equal("step 1", (await first.FindAsync(Incident, "e1", CancellationToken.None))?.Detail);
        Assert.Null(await first.FindAsync(Incident, "e4", CancellationToken.None));
        Assert.Null(await first.FindAsync("INC-NEVER-WRITTEN", "e1", CancellationToken.None));
    }

    [Fact]
    public async Task NewInstance_AfterRestart_ReadsAndExtendsTheSameChain()
    {
        await AppendAsync(Journal(), 2);

        var restarted = Journal();
        await restarted.AppendAsync(Entry(3), CancellationToken.None);

        Assert.Equal(["e1", "e2", "e3"], (await restarted.ReadAsync(Incident, CancellationToken.None)).Select(e => e.Id));
        Assert.True((await Journal().VerifyAsync(Incident, null, CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task Verify_EntryRemoved_ReportsTheLineAfterTheGap()
    {
        await AppendAsync(Journal(), 4);
        var lines = await LinesAsync();

        await RewriteAsync([lines[0], lines[1], lines[3]]);

        var verification = await Journal().VerifyAsync(Incident, null, CancellationToken.None);
        Assert.False(verification.Intact);
        Assert.Equal(3, verification.FirstBrokenLine);
        Assert.Contains("removed", verification.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EntryAltered_ReportsThatLine()
    {
        await AppendAsync(Journal(), 3);
        var lines = await LinesAsync();

        await RewriteAsync([lines[0], lines[1].Replace("bob@contoso.com", "mallory@contoso.com", StringComparison.Ordinal), lines[2]]);

        var verification = await Journal().VerifyAsync(Incident, null, CancellationToken.None);
        Assert.False(verification.Intact);
        Assert.Equal(2, verification.FirstBrokenLine);
        Assert.Contains("altered", verification.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Append_ConcurrentWritersOnTwoInstances_OneUnforkedChainWithEveryEntry()
    {
        var first = Journal();
        var second = Journal();

        await Task.WhenAll(Enumerable.Range(1, 12).Select(i => (i % 2 == 0 ? first : second).AppendAsync(Entry(i), CancellationToken.None)));

        var verification = await first.VerifyAsync(Incident, null, CancellationToken.None);
        Assert.True(verification.Intact, verification.ToString());
        Assert.Equal(12, verification.Entries);
        Assert.Equal(12, (await first.ReadAsync(Incident, CancellationToken.None)).Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task Verify_EditedEntryRechainedByStorageWriterWithoutTheKey_ReportsThatLine()
    {
        await AppendAsync(Journal(), 3);
        var guessedKey = JournalChainKey.FromBase64(Convert.ToBase64String(new byte[32]));
        var edited = Enumerable.Range(1, 3).Select(n => n == 2 ? Entry(2) with { Actor = "mallory@contoso.com" } : Entry(n)).ToList();

        // The attacker recomputes a complete, self-consistent chain, as they could with the unkeyed SHA-256 chain.
        var previous = JournalChain.Genesis(guessedKey, Incident);
        var forged = new List<string>();
        foreach (var (entry, seq) in edited.Select((e, i) => (e, i + 1)))
        {
            var line = JournalChain.Link(guessedKey, seq, previous, entry);
            forged.Add(line.Text.TrimEnd('\n'));
            previous = line.Hash;
        }

        await RewriteAsync(forged);

        var verification = await Journal().VerifyAsync(Incident, null, CancellationToken.None);
        Assert.False(verification.Intact);
        Assert.Equal(1, verification.FirstBrokenLine);
    }

    [Fact]
    public async Task Append_EntryPlantedWithThePredictableIdOfTheNextStep_RealEntryIsStillWrittenAndThePlantIsReported()
    {
        var journal = Journal();
        await AppendAsync(journal, 2);
        var lines = await LinesAsync();
        var planted = lines[1].Replace("\"seq\":2", "\"seq\":3", StringComparison.Ordinal).Replace("\"e2\"", "\"e3\"", StringComparison.Ordinal);
        await azurite.Store.AppendAsync(_container, BlobJournal.BlobName(Incident), Encoding.UTF8.GetBytes(planted + "\n"), CancellationToken.None);

        await Journal().AppendAsync(Entry(3), CancellationToken.None);

        var entries = await journal.ReadAsync(Incident, CancellationToken.None);
        Assert.Equal(["e1", "e2", "e3", "e3"], entries.Select(e => e.Id));
        Assert.Equal("step 3", entries[3].Detail);
        var verification = await journal.VerifyAsync(Incident, null, CancellationToken.None);
        Assert.False(verification.Intact);
        Assert.Equal(3, verification.FirstBrokenLine);
    }

    [Fact]
    public async Task Verify_BlobTruncatedAfterTheAnchorWasRecorded_ReportsTheTruncation()
    {
        var journal = Journal();
        await AppendAsync(journal, 4);
        var anchor = (await journal.VerifyAsync(Incident, null, CancellationToken.None)).Head;
        var lines = await LinesAsync();

        await RewriteAsync(lines[..2]);

        Assert.True((await journal.VerifyAsync(Incident, null, CancellationToken.None)).Intact);
        var verification = await journal.VerifyAsync(Incident, anchor, CancellationToken.None);
        Assert.False(verification.Intact);
        Assert.Equal(3, verification.FirstBrokenLine);
        Assert.Contains("truncated", verification.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendMany_ThirtyEntries_OneAppendBlockAndTheChainIntactLineByLine()
    {
        var journal = Journal();
        await journal.AppendAsync(Entry(1), CancellationToken.None);

        await journal.AppendManyAsync([.. Enumerable.Range(2, 30).Select(Entry), Entry(2)], CancellationToken.None);

        Assert.Equal((2L, 31L), journal.Appends);
        Assert.Equal(Enumerable.Range(1, 31).Select(i => $"e{i}"), (await journal.ReadAsync(Incident, CancellationToken.None)).Select(e => e.Id));
        var verification = await Journal().VerifyAsync(Incident, null, CancellationToken.None);
        Assert.True(verification.Intact, verification.ToString());
        Assert.Equal(31, verification.Entries);
    }

    [Fact]
    public async Task Append_ManyConcurrentCallersOnOneInstance_EachReturnsWithItsEntryDurableAndTheChainUnforked()
    {
        var journal = Journal();

        await Task.WhenAll(Enumerable.Range(1, 40).Select(async i =>
        {
            await journal.AppendAsync(Entry(i), CancellationToken.None);

            // Returned: the entry is in the blob, as another instance reads it.
            Assert.Contains($"e{i}", (await Journal().ReadAsync(Incident, CancellationToken.None)).Select(e => e.Id));
        }));

        var verification = await journal.VerifyAsync(Incident, null, CancellationToken.None);
        Assert.True(verification.Intact, verification.ToString());
        Assert.Equal(40, verification.Entries);
        Assert.Equal(40L, journal.Appends.Entries);
    }

    private BlobJournal Journal() => new(azurite.Store, AzuriteFixture.ChainKey, _container);

    private static JournalEntry Entry(int n) =>
        new($"e{n}", Start.AddMinutes(n), Incident, n % 2 == 0 ? "bob@contoso.com" : "ResponseFunctions", "1.c", "adele@contoso.com (8a1f…)", "apply:applied", $"step {n}");

    private static async Task AppendAsync(BlobJournal journal, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await journal.AppendAsync(Entry(i), CancellationToken.None);
        }
    }

    private async Task<string[]> LinesAsync()
    {
        var blob = await azurite.Store.ReadAsync(_container, BlobJournal.BlobName(Incident), CancellationToken.None);
        return Encoding.UTF8.GetString(blob!.Value.Content).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>What an attacker with write access to the account could do: replace the blob with edited lines.</summary>
    private async Task RewriteAsync(IEnumerable<string> lines)
    {
        var blob = BlobJournal.BlobName(Incident);
        await azurite.Store.DeleteAsync(_container, blob, CancellationToken.None);
        await azurite.Store.CreateAppendBlobAsync(_container, blob, CancellationToken.None);
        await azurite.Store.AppendAsync(_container, blob, Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))), CancellationToken.None);
    }
}
