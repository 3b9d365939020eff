using System.Text.Json;

namespace ResponseFunctions.Cli.Tests;

/// <summary>The Case 4 and 5 drills as a user runs them: exit code and the simulated tenant's final state.</summary>
public sealed class MailDrillTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mail-drill-").FullName;

    private string Journal => Path.Combine(_folder, "journal.jsonl");

    private string State => Path.Combine(_folder, "state.json");

    [Fact]
    public async Task Drill_BecApproveAll_ExitsZero_LeavesOnlyTheLegitimateRulesAndDelegations()
    {
        var (exit, _, _) = await Cli.RunAsync("drill", "--scenario", "bec", "--approve", "all", "--journal", Journal, "--state-out", State);

        Assert.Equal(0, exit);
        using var state = JsonDocument.Parse(File.ReadAllText(State));
        var exchange = state.RootElement.GetProperty("exchange");
        Assert.Equal(["Newsletters", "Junk E-Mail Rule"], exchange.GetProperty("inboxRules").EnumerateArray().Select(r => r.GetProperty("Name").GetString()));
        Assert.Equal(["Legal disclaimer", "ResponseFunctions - block incident attachment extensions"],
            exchange.GetProperty("transportRules").EnumerateArray().Select(r => r.GetProperty("Name").GetString()));
        Assert.DoesNotContain(exchange.GetProperty("mailboxPermissions").EnumerateArray(), p => p.GetProperty("User").GetString() == "svc-mailsync@contoso.onmicrosoft.com");
        Assert.Contains(exchange.GetProperty("mailboxPermissions").EnumerateArray(), p => p.GetProperty("User").GetString() == "megan.bowen@contoso.onmicrosoft.com");
        Assert.DoesNotContain("\"apply:failed\"", File.ReadAllText(Journal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drill_SpamRelayApproveAll_ExitsZero_BlocksTheAttackerDomainsKeepsThePartner()
    {
        var (exit, _, _) = await Cli.RunAsync("drill", "--scenario", "spam-relay", "--approve", "all", "--journal", Journal, "--state-out", State);

        Assert.Equal(0, exit);
        using var state = JsonDocument.Parse(File.ReadAllText(State));
        var items = state.RootElement.GetProperty("exchange").GetProperty("tenantAllowBlockListItems").EnumerateArray()
            .Select(i => $"{i.GetProperty("Value").GetString()} {i.GetProperty("Action").GetString()}").ToList();
        Assert.Equal(["partner.example Allow", "spam-king.example Block", "bulk-mailer.example Block", "cheap-pills.example Block"], items);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
