using System.Text.Json;

namespace ResponseFunctions.Cli.Tests;

/// <summary>The main job as a user runs it: the drill command line, its exit code, its journal and the state it leaves.</summary>
public sealed class DrillCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("drill-").FullName;

    private string Journal => Path.Combine(_folder, "journal.jsonl");

    private string State => Path.Combine(_folder, "state.json");

    [Fact]
    public async Task Drill_ApproveAll_ExitsZero_WritesTheMainCouranteAndAContainedTenant()
    {
        var (exit, output, _) = await Cli.RunAsync("drill", "--scenario", "compromised-account", "--approve", "all", "--journal", Journal, "--state-out", State);

        Assert.Equal(0, exit);
        var entries = File.ReadAllLines(Journal).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(entries, e =>
        {
            foreach (var field in new[] { "at", "actor", "action", "target", "outcome", "detail" })
            {
                Assert.True(e.TryGetProperty(field, out _), field);
            }

            Assert.EndsWith("+00:00", e.GetProperty("at").GetString(), StringComparison.Ordinal);
        });
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "1.c" && e.GetProperty("outcome").GetString() == "apply:applied");

        using var state = JsonDocument.Parse(File.ReadAllText(State));
        var adele = state.RootElement.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("userPrincipalName").GetString() == "adele.vance@contoso.onmicrosoft.com");
        Assert.False(adele.GetProperty("accountEnabled").GetBoolean());
        Assert.Equal(["password"], adele.GetProperty("authenticationMethods").EnumerateArray().Select(m => m.GetProperty("type").GetString()));
        Assert.Contains(state.RootElement.GetProperty("namedLocations").EnumerateArray(),
            l => l.GetProperty("displayName").GetString() == "ResponseFunctions - attacker IP addresses");
        Assert.Contains("approved", output, StringComparison.Ordinal);
        Assert.Contains("verified", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drill_ApproveNone_ChangesNothingDestructive()
    {
        var (exit, _, _) = await Cli.RunAsync("drill", "--scenario", "compromised-account", "--approve", "none", "--journal", Journal, "--state-out", State);

        Assert.Equal(0, exit);
        using var state = JsonDocument.Parse(File.ReadAllText(State));
        var adele = state.RootElement.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("id").GetString() == "5c1a9e2b-0d4f-4b7e-8a3c-1e2f3a4b5c01");
        Assert.True(adele.GetProperty("accountEnabled").GetBoolean());
        Assert.Equal(5, adele.GetProperty("authenticationMethods").GetArrayLength());
        Assert.Equal(6, File.ReadAllLines(Journal).Count(l => l.Contains("\"approval:rejected\"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Drill_AskWithNoAnswer_TimesOutEveryDestructiveStep()
    {
        // Nobody answers the prompt: the engine's durable timer ends each wait at the (drill's short) deadline.
        var (exit, output, _) = await Cli.RunAsync("drill", "--scenario", "compromised-account", "--journal", Journal, "--approval-timeout", "2");

        Assert.Equal(0, exit);
        Assert.Contains("Approve? [y/N]", output, StringComparison.Ordinal);
        Assert.Equal(6, File.ReadAllLines(Journal).Count(l => l.Contains("\"approval:timed-out\"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Drill_PlanOnly_AppliesNothing()
    {
        var (exit, _, _) = await Cli.RunAsync("drill", "--scenario", "compromised-account", "--plan", "--approve", "all", "--journal", Journal);

        Assert.Equal(0, exit);
        Assert.DoesNotContain(File.ReadAllLines(Journal), l => l.Contains("\"apply:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("drill", "--scenario", "no-such-scenario")]
    [InlineData("drill", "--scenario", "compromised-account", "--approve", "maybe")]
    [InlineData("drill", "--tenant", "live", "--approve", "all")]
    [InlineData("drill", "--tenant", "live", "--request", "missing.json")]
    [InlineData("drill", "--scenario", "compromised-account", "--bogus")]
    [InlineData("frobnicate")]
    public async Task BadCommandLine_ExitsTwo_WithAMessage_NothingStarted(params string[] args)
    {
        var (exit, _, error) = await Cli.RunAsync(args);

        Assert.Equal(2, exit);
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.False(File.Exists(Journal));
    }

    [Fact]
    public async Task Drill_InvalidRequestFile_NamesTheField()
    {
        var request = Path.Combine(_folder, "request.json");
        File.WriteAllText(request, """{"cases":["1"],"targets":{"users":["adele.vance@contoso.onmicrosoft.com"],"ips":["300.1.1.1"]},"reason":"r","incidentId":"INC-1"}""");

        var (exit, _, error) = await Cli.RunAsync("drill", "--scenario", "compromised-account", "--request", request, "--journal", Journal);

        Assert.Equal(2, exit);
        Assert.Contains("targets.ips[0]", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Journal));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
