using System.Text.Json;

namespace ResponseFunctions.Cli.Tests;

/// <summary>The Case 3 drills as a user runs them: exit code, the journal's story and the simulated tenant's final state.</summary>
public sealed class ResourceDrillTests : IDisposable
{
    private const string Rg = "/subscriptions/7c3e1f5a-2b4d-4e6f-8a9b-0c1d2e3f4a5b/resourceGroups/rg-prod-weu";
    private readonly string _folder = Directory.CreateTempSubdirectory("resource-drill-").FullName;

    private string Journal => Path.Combine(_folder, "journal.jsonl");

    private string State => Path.Combine(_folder, "state.json");

    private List<JsonElement> Entries() => [.. File.ReadAllLines(Journal).Select(l => JsonDocument.Parse(l).RootElement)];

    private static JsonElement Resource(JsonDocument state, string id) =>
        state.RootElement.GetProperty("azure").GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("id").GetString() == id);

    [Theory]
    [InlineData("cryptominer-vm")]
    [InlineData("exposed-storage")]
    [InlineData("webshell-app")]
    public async Task Drill_ApproveAll_ExitsZero_BothActionsPlannedApprovedAppliedVerified_AlertsReChecked(string scenario)
    {
        var (exit, _, _) = await Cli.RunAsync("drill", "--scenario", scenario, "--approve", "all", "--journal", Journal, "--state-out", State);

        Assert.Equal(0, exit);
        var outcomes = Entries().Select(e => $"{e.GetProperty("action").GetString()} {e.GetProperty("outcome").GetString()}").ToList();
        foreach (var action in new[] { "3.a", "3.b" })
        {
            Assert.Contains($"{action} plan:change-required", outcomes);
            Assert.Contains($"{action} approval:approved", outcomes);
            Assert.Contains($"{action} apply:applied", outcomes);
            Assert.Contains($"{action} verify:verified", outcomes);
        }

        Assert.Contains("3.a alerts:none-since-isolation", outcomes);
    }

    [Fact]
    public async Task Drill_CryptominerVm_EveryNicBehindTheDenyAllNsg_PriorNsgRecorded()
    {
        await Cli.RunAsync("drill", "--scenario", "cryptominer-vm", "--approve", "all", "--journal", Journal, "--state-out", State);

        using var state = JsonDocument.Parse(File.ReadAllText(State));
        var isolation = $"{Rg}/providers/Microsoft.Network/networkSecurityGroups/responsefunctions-isolation-westeurope";
        var vm = Resource(state, $"{Rg}/providers/Microsoft.Compute/virtualMachines/vm-build-01");
        foreach (var nic in vm.GetProperty("properties").GetProperty("networkProfile").GetProperty("networkInterfaces").EnumerateArray())
        {
            var current = Resource(state, nic.GetProperty("id").GetString()!);
            Assert.Equal(isolation, current.GetProperty("properties").GetProperty("networkSecurityGroup").GetProperty("id").GetString());
            Assert.True(current.GetProperty("tags").TryGetProperty("responsefunctions-previous-nsg", out _));
        }

        var rules = Resource(state, isolation).GetProperty("properties").GetProperty("securityRules").EnumerateArray()
            .Select(r => r.GetProperty("properties")).Where(p => p.GetProperty("access").GetString() == "Deny").ToList();
        Assert.Equal(["Inbound", "Outbound"], rules.Select(r => r.GetProperty("direction").GetString()).Order());
        var plan = Entries().First(e => e.GetProperty("action").GetString() == "3.a" && e.GetProperty("outcome").GetString() == "plan:change-required");
        Assert.Contains($"{Rg}/providers/Microsoft.Network/networkSecurityGroups/nsg-build-weu", plan.GetProperty("data").GetProperty("before").GetRawText(), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
