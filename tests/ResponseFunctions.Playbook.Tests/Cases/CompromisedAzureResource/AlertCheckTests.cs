using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.AzureResources;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;
using ResponseFunctions.SimulatedTenant.AzureCloud;
using Microsoft.Extensions.DependencyInjection;
using static ResponseFunctions.Playbook.Tests.Cases.CompromisedAzureResource.AzureScenario;

namespace ResponseFunctions.Playbook.Tests.Cases.CompromisedAzureResource;

/// <summary>The SecurityAlert query (KQL literals, the Log Analytics plane) and the alert re-check after an isolation.</summary>
public sealed class AlertCheckTests
{
    [Theory]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("line\nbreak", "\"line\\nbreak\"")]
    public void KqlString_QuotesAndBackslashes_Escaped(string value, string literal) =>
        Assert.Equal(literal, Kql.String(value));

    [Fact]
    public void KqlString_ControlCharacter_Refused() =>
        Assert.Throws<ArgumentException>(() => Kql.String("a\u0001b"));

    [Fact]
    public async Task Query_ResourceIdTryingToBreakOut_StaysOneLiteral_MatchesNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync("cryptominer-vm");
        var alerts = harness.Services.GetRequiredService<SecurityAlerts>();
        var since = DateTimeOffset.UtcNow.AddHours(-2);

        var legit = await alerts.SinceAsync(Workspace, Vm, since, DateTimeOffset.UtcNow, CancellationToken.None);
        var attack = await alerts.SinceAsync(Workspace, Vm + "\" or ResourceId != \"\" | union SecurityAlert | where \"1\" == \"1", since,
            DateTimeOffset.UtcNow, CancellationToken.None);
        var backslash = await alerts.SinceAsync(Workspace, Vm + "\\\" | where true | project AlertName //", since, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Contains(legit, a => a.AlertName == "Digital currency mining related behavior detected");
        Assert.Empty(attack);
        Assert.Empty(backslash);
        Assert.All(harness.Tenant.Requests.Snapshot().Where(r => r.PathAndQuery.StartsWith("/loganalytics/", StringComparison.Ordinal)), r => Assert.Equal(200, r.StatusCode));
    }

    [Fact]
    public async Task CheckAfterIsolation_NewAlertSinceIsolation_JournaledAsIncomplete()
    {
        await using var harness = await PlaybookHarness.StartAsync("cryptominer-vm", p => p.Resources.AlertWorkspaceId = Workspace);
        var step = await harness.StepAsync("3.a", PlaybookHarness.ResourceRequest(Vm));
        var isolatedAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        harness.Tenant.State.Mutate(m => m.Azure.SecurityAlerts.Add(new SimSecurityAlert
        {
            SystemAlertId = "after-1", AlertName = "Connection to a malicious IP", ResourceId = Vm, TimeGenerated = DateTimeOffset.UtcNow.AddSeconds(-10),
        }));

        var none = await harness.Activities.CheckAlertsAfterIsolationAsync(new AlertCheckInput(step, isolatedAt), CancellationToken.None);

        Assert.False(none);
        var entry = Assert.Single(harness.Journal.Entries, e => e.Id.EndsWith("/alert-check", StringComparison.Ordinal));
        Assert.Equal("alerts:new-since-isolation", entry.Outcome);
        Assert.Contains("Connection to a malicious IP", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contain_CryptominerVm_ReChecksAlertsAfterIsolation_NoneSinceIsolation()
    {
        await using var harness = await PlaybookHarness.StartAsync("cryptominer-vm", p =>
        {
            p.Resources.AlertWorkspaceId = Workspace;
            p.Resources.AlertRecheckDelay = TimeSpan.Zero;
            p.Resources.ResetVmAdministratorPassword = true;
        });

        var report = await harness.RunAsync(PlaybookHarness.ResourceRequest(Vm), ResponseFunctions.Playbook.Approval.ApprovalVerdict.Approve);

        Assert.All(report.Steps, s => Assert.Equal(VerifyOutcome.Verified, s.Verify));
        var check = Assert.Single(harness.Journal.Entries, e => e.Action == "3.a" && e.Outcome.StartsWith("alerts:", StringComparison.Ordinal));
        Assert.Equal("alerts:none-since-isolation", check.Outcome);
        var order = harness.Journal.Entries.Select(e => e.Id).ToList();
        Assert.True(order.FindIndex(i => i.EndsWith("01/verify", StringComparison.Ordinal)) < order.FindIndex(i => i.EndsWith("01/alert-check", StringComparison.Ordinal)));
        Assert.Equal(ActionId.Parse("3.b"), report.Steps[1].Action);
    }
}
