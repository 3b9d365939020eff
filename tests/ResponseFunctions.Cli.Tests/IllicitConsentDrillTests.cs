using System.Text.Json;

namespace ResponseFunctions.Cli.Tests;

/// <summary>The Case 2 drill and the baseline capture, as a user runs them.</summary>
public sealed class IllicitConsentDrillTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("case2-").FullName;

    private string Journal => Path.Combine(_folder, "journal.jsonl");

    private string State => Path.Combine(_folder, "state.json");

    [Fact]
    public async Task Drill_ApproveAll_ExitsZero_TheAppsAreContained()
    {
        var (exit, _, _) = await Cli.RunAsync("drill", "--scenario", "illicit-consent", "--approve", "all", "--journal", Journal, "--state-out", State);

        Assert.Equal(0, exit);
        using var state = JsonDocument.Parse(File.ReadAllText(State));
        Assert.Equal(["payroll-grant-userread"], state.RootElement.GetProperty("oAuth2PermissionGrants").EnumerateArray().Select(g => g.GetProperty("id").GetString()));
        var payroll = state.RootElement.GetProperty("applications").EnumerateArray().Single();
        Assert.Equal(["c3e7a9b1-0000-4000-8000-0000000000c1"], payroll.GetProperty("keyCredentials").EnumerateArray().Select(k => k.GetProperty("keyId").GetString()));
        Assert.Contains(File.ReadAllLines(Journal), l => l.Contains("\"2.g\"", StringComparison.Ordinal) && l.Contains("\"verify:verified\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Drill_ApproveNone_ChangesNothing()
    {
        var (exit, _, _) = await Cli.RunAsync("drill", "--scenario", "illicit-consent", "--approve", "none", "--journal", Journal, "--state-out", State);

        Assert.Equal(0, exit);
        using var state = JsonDocument.Parse(File.ReadAllText(State));
        Assert.Equal(5, state.RootElement.GetProperty("appRoleAssignments").GetArrayLength());
        Assert.Equal(3, state.RootElement.GetProperty("oAuth2PermissionGrants").GetArrayLength());
        Assert.All(state.RootElement.GetProperty("servicePrincipals").EnumerateArray(), s => Assert.True(s.GetProperty("accountEnabled").GetBoolean()));
        Assert.False(state.RootElement.GetProperty("adminConsentRequestPolicy").GetProperty("isEnabled").GetBoolean());
        Assert.DoesNotContain(File.ReadAllLines(Journal), l => l.Contains("\"apply:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BaselineCapture_WritesAPolicyFragmentTheDrillAccepts()
    {
        var fragment = Path.Combine(_folder, "baseline.json");

        var (exit, output, _) = await Cli.RunAsync("baseline", "capture", "--scenario", "illicit-consent", "--app", "d0c0f1e2-7a1b-4c3d-9e8f-0a1b2c3d4e5f", "--out", fragment);

        Assert.Equal(0, exit);
        Assert.Contains("written to", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(fragment));
        var globalAdmins = json.RootElement.GetProperty("RoleBaseline").EnumerateArray()
            .Single(e => e.GetProperty("RoleDefinitionId").GetString() == "62e90394-69f5-4237-9190-012177145e10");
        Assert.Contains("b9e1f000-0000-4000-8000-000000000b01", globalAdmins.GetProperty("Principals").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(2, json.RootElement.GetProperty("ApplicationBaselines").GetArrayLength());

        // The fragment is a valid policy: a drill runs with it.
        var (drill, _, error) = await Cli.RunAsync("drill", "--scenario", "illicit-consent", "--plan", "--policy", fragment, "--journal", Journal);
        Assert.True(drill == 0, error);
    }

    [Theory]
    [InlineData("baseline", "capture")]
    [InlineData("baseline", "capture", "--scenario", "no-such-scenario")]
    [InlineData("baseline", "capture", "--scenario", "illicit-consent", "--app", "payroll")]
    [InlineData("baseline", "capture", "--tenant", "live", "--scenario", "illicit-consent")]
    public async Task BaselineCapture_BadCommandLine_ExitsTwo(params string[] args)
    {
        var (exit, _, error) = await Cli.RunAsync(args);

        Assert.Equal(2, exit);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
