using System.Text.Json;
using ResponseFunctions.Playbook.Journal;

namespace ResponseFunctions.Playbook.Tests.Journal;

public sealed class JsonLinesJournalTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"journal-{Guid.NewGuid():N}.jsonl");

    [Fact]
    public async Task Append_WritesOneJsonObjectPerLineWithTheMainCouranteFields()
    {
        var journal = new JsonLinesJournal(_path);

        await journal.AppendAsync(new JournalEntry("i/01/plan", new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.FromHours(1)), "INC", "analyst", "1.c", "adele", "plan:change-required", "Disable"), default);

        var line = Assert.Single(await File.ReadAllLinesAsync(_path));
        using var json = JsonDocument.Parse(line);
        Assert.Equal("2026-11-20T08:00:00+00:00", json.RootElement.GetProperty("at").GetString());
        foreach (var field in new[] { "actor", "action", "target", "outcome", "detail" })
        {
            Assert.True(json.RootElement.TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task Append_TwoHundredCallersAtOnce_EachReturnsWithItsOwnLineOnDisk()
    {
        var journal = new JsonLinesJournal(_path);
        var entries = Entries(200);

        // Each caller checks, as "intent before change" needs, that its own line is on disk when its append returns.
        var onDisk = await Task.WhenAll(entries.Select(e => Task.Run(async () =>
        {
            await journal.AppendAsync(e, default);
            return (await File.ReadAllLinesAsync(_path)).Any(l => l.Contains($"\"{e.Id}\"", StringComparison.Ordinal));
        })));

        Assert.All(onDisk, Assert.True);
        var ids = await IdsOnDiskAsync();
        Assert.Equal(200, ids.Count);
        Assert.Equal(200, ids.Distinct().Count());
    }

    [Fact]
    public async Task AppendMany_TwoHundredEntries_OneFlushInTheirOrder()
    {
        var journal = new JsonLinesJournal(_path);
        var entries = Entries(200);

        await journal.AppendManyAsync(entries, default);

        Assert.Equal(1, journal.Flushes);
        Assert.Equal(entries.Select(e => e.Id), await IdsOnDiskAsync());
    }

    private static List<JournalEntry> Entries(int count) => [.. Enumerable.Range(0, count)
        .Select(i => new JournalEntry($"i/{i:000}/intent", DateTimeOffset.UtcNow, "INC", "playbook", "1.a", $"user{i}", "intent:apply", "about to"))];

    private async Task<List<string?>> IdsOnDiskAsync() =>
        [.. (await File.ReadAllLinesAsync(_path)).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString())];

    [Fact]
    public async Task Find_WrittenByAnEarlierInstanceOrNever_FoundOrNull()
    {
        var entry = new JournalEntry("i/01/intent", DateTimeOffset.UtcNow, "INC", "playbook", "1.c", "adele", "intent:apply", "about to");
        await new JsonLinesJournal(_path).AppendAsync(entry, default);
        IJournal reopened = new JsonLinesJournal(_path);

        var found = await reopened.FindAsync("INC", "i/01/intent", default);
        var never = await reopened.FindAsync("INC", "i/02/intent", default);

        Assert.Equal("intent:apply", found?.Outcome);
        Assert.Null(never);
    }

    [Fact]
    public async Task Append_SameIdTwice_WritesOnce_EvenFromANewInstance()
    {
        var entry = new JournalEntry("i/01/apply", DateTimeOffset.UtcNow, "INC", "playbook", "1.c", "adele", "apply:applied", "done");

        await new JsonLinesJournal(_path).AppendAsync(entry, default);
        await new JsonLinesJournal(_path).AppendAsync(entry, default);

        Assert.Single(await new JsonLinesJournal(_path).ReadAsync("INC", default));
    }

    public void Dispose() => File.Delete(_path);
}
