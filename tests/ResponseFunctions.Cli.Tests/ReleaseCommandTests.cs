using System.Text.Json;

namespace ResponseFunctions.Cli.Tests;

/// <summary>The release command: a drill's containment released later, from its journal file and the state it left.</summary>
public sealed class ReleaseCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("release-").FullName;

    private string Journal => Path.Combine(_folder, "j.jsonl");

    private string Contained => Path.Combine(_folder, "contained.json");

    private string Released => Path.Combine(_folder, "released.json");

    [Fact]
    public async Task Release_AfterADrill_ReenablesTheAccountFromTheJournalAndAppendsLinkedEntries()
    {
        var (drill, _, drillError) = await Cli.RunAsync("drill", "--scenario", "compromised-account", "--approve", "all", "--journal", Journal, "--state-out", Contained);
        Assert.True(drill == 0, drillError);
        var before = File.ReadAllLines(Journal).Length;

        var (exit, output, error) = await Cli.RunAsync("release", "--scenario", "compromised-account", "--state-in", Contained, "--journal", Journal,
            "--incident", "INC-2026-0042", "--steps", "1.c", "--reason", "false positive: Adele was travelling", "--approve", "all", "--state-out", Released);

        Assert.True(exit == 0, error);
        using var state = JsonDocument.Parse(File.ReadAllText(Released));
        var adele = state.RootElement.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("userPrincipalName").GetString() == "adele.vance@contoso.onmicrosoft.com");
        Assert.True(adele.GetProperty("accountEnabled").GetBoolean());
        Assert.Contains(state.RootElement.GetProperty("namedLocations").EnumerateArray(),
            l => l.GetProperty("displayName").GetString() == "ResponseFunctions - attacker IP addresses");
        var added = File.ReadAllLines(Journal).Skip(before).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(added, e => Assert.StartsWith("release-inc-2026-0042-", e.GetProperty("id").GetString(), StringComparison.Ordinal));
        Assert.Equal("containment-inc-2026-0042/03/apply", added.Single(e => e.GetProperty("outcome").GetString() == "apply:applied").GetProperty("data").GetProperty("originalEntryId").GetString());
        Assert.Contains("1.c", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_WithoutAReason_IsAUsageErrorAndWritesNothing()
    {
        File.WriteAllText(Journal, string.Empty);

        var (exit, _, error) = await Cli.RunAsync("release", "--scenario", "compromised-account", "--state-in", Journal, "--journal", Journal, "--incident", "INC-2026-0042");

        Assert.Equal(2, exit);
        Assert.Contains("--reason", error, StringComparison.Ordinal);
        Assert.Empty(File.ReadAllText(Journal));
    }

    [Fact]
    public async Task Release_OfAStepTheContainmentNeverApplied_IsAUsageError()
    {
        var (drill, _, _) = await Cli.RunAsync("drill", "--scenario", "compromised-account", "--approve", "none", "--journal", Journal, "--state-out", Contained);
        Assert.Equal(0, drill);

        var (exit, _, error) = await Cli.RunAsync("release", "--scenario", "compromised-account", "--state-in", Contained, "--journal", Journal,
            "--incident", "INC-2026-0042", "--steps", "1.c", "--reason", "x", "--approve", "all");

        Assert.Equal(2, exit);
        Assert.Contains("nothing to release", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
