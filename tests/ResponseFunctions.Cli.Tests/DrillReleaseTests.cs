using System.Text.Json;

namespace ResponseFunctions.Cli.Tests;

/// <summary>drill --release: the containment, then its release on the same simulated tenant, in one run.</summary>
public sealed class DrillReleaseTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("drill-release-").FullName;

    private string Journal => Path.Combine(_folder, "j.jsonl");

    private string State => Path.Combine(_folder, "s.json");

    [Fact]
    public async Task Drill_ReleaseAll_CompromisedAccount_ReenablesTheAccountRemovesTheIncidentLocationsAndListsWhatCannotBeUndone()
    {
        var (exit, output, error) = await Cli.RunAsync("drill", "--scenario", "compromised-account", "--approve", "all", "--release", "all", "--journal", Journal, "--state-out", State);

        Assert.True(exit == 0, error);
        using var state = JsonDocument.Parse(File.ReadAllText(State));
        var adele = state.RootElement.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("userPrincipalName").GetString() == "adele.vance@contoso.onmicrosoft.com");
        Assert.True(adele.GetProperty("accountEnabled").GetBoolean());
        Assert.DoesNotContain(state.RootElement.GetProperty("namedLocations").EnumerateArray(),
            l => l.GetProperty("displayName").GetString()!.StartsWith("ResponseFunctions", StringComparison.Ordinal));
        Assert.DoesNotContain(state.RootElement.GetProperty("conditionalAccessPolicies").EnumerateArray(),
            p => p.GetProperty("displayName").GetString()!.StartsWith("ResponseFunctions", StringComparison.Ordinal));

        var entries = File.ReadAllLines(Journal).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var releases = entries.Where(e => e.GetProperty("id").GetString()!.StartsWith("release-inc-2026-0042-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["containment-inc-2026-0042/03/apply", "containment-inc-2026-0042/05/apply"], releases
            .Where(e => e.GetProperty("outcome").GetString() == "apply:applied")
            .Select(e => e.GetProperty("data").GetProperty("originalEntryId").GetString()));
        Assert.Equal(["1.a", "1.b", "1.d", "1.f", "1.risk"], releases
            .Where(e => e.GetProperty("action").GetString() == "release.not-undone")
            .Select(e => e.GetProperty("data").GetProperty("originalEntryId").GetString())
            .Select(id => entries.Single(o => o.GetProperty("id").GetString() == id).GetProperty("action").GetString()));
        Assert.Contains("Not undone", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drill_ReleaseWithPlan_IsAUsageError()
    {
        var (exit, _, error) = await Cli.RunAsync("drill", "--scenario", "compromised-account", "--plan", "--release", "all", "--journal", Journal);

        Assert.Equal(2, exit);
        Assert.Contains("--release", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drill_ReleaseOfAnUnknownSheetId_IsAUsageError()
    {
        var (exit, _, error) = await Cli.RunAsync("drill", "--scenario", "compromised-account", "--approve", "all", "--release", "9.z", "--journal", Journal);

        Assert.Equal(2, exit);
        Assert.Contains("--release", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
