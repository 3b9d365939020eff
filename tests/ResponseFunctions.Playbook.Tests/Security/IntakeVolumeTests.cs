using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Intake;
using ResponseFunctions.Playbook.Intake.Sentinel;
using ResponseFunctions.Playbook.Intake.Triage;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Intake;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Security;

/// <summary>An incident naming hundreds of accounts: the same caps as the manual API, and a mass-compromise path that always needs a person.</summary>
public sealed class IntakeVolumeTests
{
    [Fact]
    public async Task Sentinel_IncidentNaming150Accounts_RefusedJournaledAndNothingStartedOrChanged()
    {
        await using var harness = await IntakeHarness.StartAsync("compromised-account-sentinel", policy: p => p.PreApprovedActions = ["1.b"]);
        var incident = SentinelPayloadParser.Parse(IncidentNaming(150));

        var outcome = await harness.Dispatcher.DispatchAsync(
            SentinelTriage.Triage(incident, TriageTable.Default), SentinelTriage.IncidentIdFor(incident), IncidentSource.Sentinel, incident.DeliveryId!, harness.Starter, CancellationToken.None);

        Assert.Equal(IntakeStatus.Refused, outcome.Status);
        Assert.Empty(harness.Starter.Reports);
        Assert.DoesNotContain(harness.Tenant.Requests.Snapshot(), r => r.Method is "POST" or "PATCH" or "PUT" or "DELETE");
        Assert.Contains(harness.Journal.Entries, e => e.Action == TriageJournal.Refused && e.Outcome == "refused-too-many-targets");
    }

    [Fact]
    public async Task Prepare_MassCompromise_NothingPreApprovedNothingAppliedOnTimeout()
    {
        await using var harness = await PlaybookHarness.StartAsync(configure: p =>
        {
            p.PreApprovedActions = ["1.b"];
            p.TimeoutPolicy["1.b"] = new Playbook.Policy.TimeoutRule { OnTimeout = TimeoutAction.Apply, Severities = [Playbook.Requests.IncidentSeverity.High] };
        });
        var request = PlaybookHarness.Request() with { MassCompromise = true, Severity = Playbook.Requests.IncidentSeverity.High };

        var prepared = await harness.Activities.PrepareAsync(new PrepareInput("mass", request, DateTimeOffset.UtcNow), CancellationToken.None);

        Assert.Empty(prepared.Approval.PreApproved);
        Assert.Empty(prepared.Approval.ApplyOnTimeout);
        Assert.Null(prepared.Approval.DecideWithoutAsking(ActionId.Parse("1.b")));
    }

    [Fact]
    public void Limits_AboveTheCapWithTheMassPathOn_MassCompromiseAndAboveItRefused()
    {
        var limits = new Playbook.Policy.IntakeLimits { MassCompromiseMaxTargetsPerList = 500 };

        Assert.Equal(Playbook.Policy.IntakeVolume.Ordinary, limits.Judge(Targets(100)));
        Assert.Equal(Playbook.Policy.IntakeVolume.MassCompromise, limits.Judge(Targets(101)));
        Assert.Equal(Playbook.Policy.IntakeVolume.Refused, limits.Judge(Targets(501)));
        Assert.Equal(Playbook.Policy.IntakeVolume.Refused, new Playbook.Policy.IntakeLimits().Judge(Targets(101)));
    }

    [Fact]
    public void Parse_ManualRequestOf150AccountsWithTheMassPathOn_MassCompromise()
    {
        var limits = new Playbook.Policy.IntakeLimits { MassCompromiseMaxTargetsPerList = 2_000 };

        var result = Playbook.Requests.ContainmentRequestParser.Parse(ManualBody(150), "analyst (function key)", limits);

        Assert.Empty(result.Problems);
        Assert.True(result.Request!.MassCompromise);
        Assert.Equal(150, result.Request.Targets.Users.Count);
    }

    [Theory]
    [InlineData(150, 0)]
    [InlineData(2_001, 2_000)]
    public void Parse_ManualRequestAboveTheCaps_RefusedNamingTheList(int users, int massCap)
    {
        var result = Playbook.Requests.ContainmentRequestParser.Parse(ManualBody(users), "analyst (function key)", new Playbook.Policy.IntakeLimits { MassCompromiseMaxTargetsPerList = massCap });

        Assert.Null(result.Request);
        Assert.Contains(result.Problems, p => p.Field == "targets.users");
    }

    [Fact]
    public void Parse_ManualRequestWithinTheOrdinaryCap_NotAMassCompromise()
    {
        var result = Playbook.Requests.ContainmentRequestParser.Parse(ManualBody(100), "analyst (function key)", new Playbook.Policy.IntakeLimits { MassCompromiseMaxTargetsPerList = 2_000 });

        Assert.False(result.Request!.MassCompromise);
    }

    private static string ManualBody(int users) => new JsonObject
    {
        ["incidentId"] = "INC-MASS-1",
        ["cases"] = new JsonArray("1"),
        ["mode"] = "contain",
        ["reason"] = "Password spray",
        ["targets"] = new JsonObject { ["users"] = new JsonArray([.. Enumerable.Range(0, users).Select(i => (JsonNode?)JsonValue.Create($"user{i}@contoso.com"))]) },
    }.ToJsonString();

    private static Playbook.Requests.ContainmentTargets Targets(int users) => new([.. Enumerable.Range(0, users).Select(i => $"user{i}@contoso.com")], [], []);

    private static string IncidentNaming(int accounts)
    {
        var payload = JsonNode.Parse(RepoFile.Read("samples/sentinel/incident-atypical-travel.json"))!.AsObject();
        var entities = payload["object"]!["properties"]!["relatedEntities"]!.AsArray();
        var template = entities.First(e => (string?)e!["kind"] == "Account")!;
        for (var i = 0; i < accounts; i++)
        {
            var account = template.DeepClone();
            account["id"] = (string)template["id"]! + $"-{i}";
            account["properties"]!["accountName"] = $"user{i:000}";
            account["properties"]!["aadUserId"] = Guid.NewGuid().ToString();
            entities.Add(account);
        }

        return payload.ToJsonString();
    }
}
