namespace ResponseFunctions.Cli.Tests;

/// <summary>Every scenario whose drill changes the tenant: rejecting every step leaves it exactly as a dry run does.</summary>
public sealed class ApproveNoneDrillTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("approve-none-drill-").FullName;

    [Theory]
    [InlineData("bec")]
    [InlineData("spam-relay")]
    [InlineData("cryptominer-vm")]
    [InlineData("exposed-storage")]
    [InlineData("webshell-app")]
    public async Task Drill_ApproveNone_LeavesTheTenantAsTheScenarioSeededIt(string scenario)
    {
        var plannedOnly = Path.Combine(_folder, "plan.json");
        var state = Path.Combine(_folder, "state.json");
        var journal = Path.Combine(_folder, "journal.jsonl");
        await Cli.RunAsync("drill", "--scenario", scenario, "--plan", "--journal", Path.Combine(_folder, "plan.jsonl"), "--state-out", plannedOnly);

        var (exit, _, _) = await Cli.RunAsync("drill", "--scenario", scenario, "--approve", "none", "--journal", journal, "--state-out", state);

        Assert.Equal(0, exit);
        Assert.Equal(File.ReadAllText(plannedOnly), File.ReadAllText(state));
        Assert.Contains("\"approval:rejected\"", File.ReadAllText(journal), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
