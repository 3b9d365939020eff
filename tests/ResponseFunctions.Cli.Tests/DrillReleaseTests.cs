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
    public async Task Drill_ReleaseAll_Bec_RestoresEachRuleForwardingDelegationMailboxAndProtocolItemByItem()
    {
        var (exit, _, error) = await Cli.RunAsync("drill", "--scenario", "bec", "--approve", "all", "--release", "all", "--journal", Journal, "--state-out", State);

        Assert.True(exit == 0, error);
        using var state = JsonDocument.Parse(File.ReadAllText(State));
        var exchange = state.RootElement.GetProperty("exchange");
        var rule = exchange.GetProperty("transportRules").EnumerateArray().Single(r => r.GetProperty("Name").GetString() == "Compliance journal copy");
        Assert.Equal(["journal@mailsafe-archive.example"], rule.GetProperty("BlindCopyTo").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("Enabled", rule.GetProperty("State").GetString());
        Assert.Contains(exchange.GetProperty("mailboxPermissions").EnumerateArray(), p =>
            p.GetProperty("Identity").GetString() == "finance@contoso.onmicrosoft.com" && p.GetProperty("User").GetString() == "svc-mailsync@contoso.onmicrosoft.com");
        Assert.Contains(exchange.GetProperty("recipientPermissions").EnumerateArray(), p =>
            p.GetProperty("Identity").GetString() == "adele.vance@contoso.onmicrosoft.com" && p.GetProperty("Trustee").GetString() == "svc-mailsync@contoso.onmicrosoft.com");
        Assert.False(exchange.GetProperty("transportConfig").GetProperty("SmtpClientAuthenticationDisabled").GetBoolean());
        var finance = state.RootElement.GetProperty("users").EnumerateArray().Single(u => u.GetProperty("userPrincipalName").GetString() == "finance@contoso.onmicrosoft.com");
        Assert.True(finance.GetProperty("accountEnabled").GetBoolean());

        var releases = ReleaseEntries();
        Assert.Equal(["5.a", "5.a", "5.a", "5.b", "5.c", "5.d", "5.d", "5.e", "5.e", "5.f", "5.f", "5.f"],
            releases.Where(e => e.GetProperty("outcome").GetString() == "apply:applied").Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(12, releases.Count(e => e.GetProperty("outcome").GetString() == "approval:approved"));
        Assert.DoesNotContain(releases, e => e.GetProperty("action").GetString() == "release.not-undone");
        Assert.DoesNotContain(exchange.GetProperty("transportRules").EnumerateArray(), r => r.GetProperty("Name").GetString() == "ResponseFunctions - block incident attachment extensions");
        var malware = exchange.GetProperty("malwareFilterPolicies").EnumerateArray().Single();
        Assert.False(malware.GetProperty("EnableFileFilter").GetBoolean());
        Assert.DoesNotContain("hta", malware.GetProperty("FileTypes").EnumerateArray().Select(t => t.GetString()));
        var adeleMailbox = exchange.GetProperty("mailboxes").EnumerateArray().Single(m => m.GetProperty("UserPrincipalName").GetString() == "adele.vance@contoso.onmicrosoft.com");
        Assert.Equal("smtp:adele.backup@proton.example", adeleMailbox.GetProperty("ForwardingSmtpAddress").GetString());
        Assert.Equal([".", ".."], exchange.GetProperty("inboxRules").EnumerateArray().Select(r => r.GetProperty("Name").GetString()).Where(n => n is "." or ".."));
        Assert.All(releases.Where(e => e.GetProperty("outcome").GetString() == "apply:applied"), e =>
            Assert.StartsWith("containment-inc-2026-0051/", e.GetProperty("data").GetProperty("originalEntryId").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Drill_ReleaseAll_IllicitConsent_ReenablesTheAppsAndRestoresTheConsentSettingsOneByOne()
    {
        var (exit, _, error) = await Cli.RunAsync("drill", "--scenario", "illicit-consent", "--approve", "all", "--release", "all", "--journal", Journal, "--state-out", State);

        Assert.True(exit == 0, error);
        using var state = JsonDocument.Parse(File.ReadAllText(State));
        Assert.All(state.RootElement.GetProperty("servicePrincipals").EnumerateArray()
                .Where(sp => sp.GetProperty("displayName").GetString() is "Doc Viewer Pro" or "Contoso Payroll"),
            sp => Assert.True(sp.GetProperty("accountEnabled").GetBoolean()));
        Assert.Contains("ManagePermissionGrantsForSelf.microsoft-user-default-legacy", state.RootElement.GetProperty("authorizationPolicy")
            .GetProperty("defaultUserRolePermissions").GetProperty("permissionGrantPoliciesAssigned").EnumerateArray().Select(p => p.GetString()));
        Assert.False(state.RootElement.GetProperty("adminConsentRequestPolicy").GetProperty("isEnabled").GetBoolean());
        var releases = ReleaseEntries();
        Assert.Equal(["2.a", "2.a", "2.g", "2.g"], releases.Where(e => e.GetProperty("outcome").GetString() == "apply:applied").Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(["user-consent", "admin-consent-requests"], releases
            .Where(e => e.GetProperty("action").GetString() == "2.g" && e.GetProperty("outcome").GetString() == "apply:applied")
            .Select(e => e.GetProperty("data").GetProperty("item").GetString()));
        Assert.Contains(releases, e => e.GetProperty("action").GetString() == "release.not-undone" && e.GetProperty("detail").GetString()!.Contains("new credentials", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Drill_ReleaseAll_SpamRelay_RestoresTheAllowBlockListAntiPhishingAndAntiSpamSettingsItemByItem()
    {
        var (exit, _, error) = await Cli.RunAsync("drill", "--scenario", "spam-relay", "--approve", "all", "--release", "all", "--journal", Journal, "--state-out", State);

        Assert.True(exit == 0, error);
        using var state = JsonDocument.Parse(File.ReadAllText(State));
        var exchange = state.RootElement.GetProperty("exchange");
        Assert.Equal(["Sender Allow bulk-mailer.example", "Sender Allow partner.example", "Sender Allow promo-blast.example", "Sender Block spam-king.example", "Url Allow bulk-mailer.example/*"],
            exchange.GetProperty("tenantAllowBlockListItems").EnumerateArray()
                .Select(i => $"{i.GetProperty("ListType").GetString()} {i.GetProperty("Action").GetString()} {i.GetProperty("Value").GetString()}").Order(StringComparer.Ordinal));
        var antiPhish = exchange.GetProperty("antiPhishPolicies").EnumerateArray().Single();
        Assert.False(antiPhish.GetProperty("EnableSpoofIntelligence").GetBoolean());
        Assert.Contains("bulk-mailer.example", antiPhish.GetProperty("ExcludedDomains").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("Disabled", exchange.GetProperty("eopProtectionPolicyRules").EnumerateArray().Single().GetProperty("State").GetString());
        Assert.Equal(10000, exchange.GetProperty("hostedOutboundSpamFilterPolicies").EnumerateArray().Single().GetProperty("RecipientLimitPerDay").GetInt32());

        var releases = ReleaseEntries();
        Assert.Equal(["4.a", "4.a", "4.a", "4.a", "4.a", "4.b", "4.b", "4.b", "4.c", "4.c"],
            releases.Where(e => e.GetProperty("outcome").GetString() == "apply:applied").Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(["containment-inc-2026-0052/01/apply", "containment-inc-2026-0052/02/apply", "containment-inc-2026-0052/03/apply"], releases
            .Where(e => e.GetProperty("outcome").GetString() == "apply:applied").Select(e => e.GetProperty("data").GetProperty("originalEntryId").GetString()).Distinct());
        Assert.DoesNotContain(releases, e => e.GetProperty("action").GetString() == "release.not-undone");
    }

    [Fact]
    public async Task Drill_ReleaseAll_CaseThreeScenarios_TakeEachResourceOutOfIsolation_LinkedToTheOriginalStep()
    {
        const string rg = "/subscriptions/7c3e1f5a-2b4d-4e6f-8a9b-0c1d2e3f4a5b/resourceGroups/rg-prod-weu/providers/";
        foreach (var scenario in new[] { "cryptominer-vm", "exposed-storage", "webshell-app" })
        {
            File.Delete(Journal);
            var (exit, _, error) = await Cli.RunAsync("drill", "--scenario", scenario, "--approve", "all", "--release", "all", "--journal", Journal, "--state-out", State);

            Assert.True(exit == 0, error);
            using var state = JsonDocument.Parse(File.ReadAllText(State));
            var resources = state.RootElement.GetProperty("azure").GetProperty("resources").EnumerateArray().ToList();
            JsonElement Properties(string id) => resources.Single(r => r.GetProperty("id").GetString() == rg + id).GetProperty("properties");
            switch (scenario)
            {
                case "cryptominer-vm":
                    Assert.Equal(rg + "Microsoft.Network/networkSecurityGroups/nsg-build-weu",
                        Properties("Microsoft.Network/networkInterfaces/vm-build-01-nic1").GetProperty("networkSecurityGroup").GetProperty("id").GetString());
                    Assert.False(Properties("Microsoft.Network/networkInterfaces/vm-build-01-nic2").TryGetProperty("networkSecurityGroup", out _));
                    Assert.DoesNotContain(resources, r => r.GetProperty("id").GetString()!.Contains("responsefunctions-isolation", StringComparison.Ordinal));
                    break;
                case "exposed-storage":
                    var account = Properties("Microsoft.Storage/storageAccounts/stcontosoexports");
                    Assert.Equal(("Enabled", true, "Allow"), (account.GetProperty("publicNetworkAccess").GetString(), account.GetProperty("allowBlobPublicAccess").GetBoolean(),
                        account.GetProperty("networkAcls").GetProperty("defaultAction").GetString()));
                    Assert.Equal("83.166.128.0/24", account.GetProperty("networkAcls").GetProperty("ipRules")[0].GetProperty("value").GetString());
                    break;
                default:
                    foreach (var site in new[] { "Microsoft.Web/sites/app-contoso-portal", "Microsoft.Web/sites/app-contoso-portal/slots/staging" })
                    {
                        Assert.Equal("Running", Properties(site).GetProperty("state").GetString());
                        Assert.Equal("Allow", Properties(site + "/config/web").GetProperty("scmIpSecurityRestrictionsDefaultAction").GetString());
                    }

                    break;
            }

            var applied = Assert.Single(ReleaseEntries(), e => e.GetProperty("outcome").GetString() == "apply:applied");
            Assert.Equal("3.a", applied.GetProperty("action").GetString());
            Assert.EndsWith("/01/apply", applied.GetProperty("data").GetProperty("originalEntryId").GetString(), StringComparison.Ordinal);
        }
    }

    private List<JsonElement> ReleaseEntries() =>
        [.. File.ReadAllLines(Journal).Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("id").GetString()!.StartsWith("release-", StringComparison.Ordinal))];

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
