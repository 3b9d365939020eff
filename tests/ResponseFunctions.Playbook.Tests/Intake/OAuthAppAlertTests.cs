using Microsoft.Extensions.DependencyInjection;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Intake;
using ResponseFunctions.Playbook.Intake.Sentinel;
using ResponseFunctions.Playbook.Intake.Triage;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;
using ResponseFunctions.SimulatedTenant;

namespace ResponseFunctions.Playbook.Tests.Intake;

/// <summary>
/// Defender for Cloud Apps / Defender XDR OAuth app alerts: the app is a CloudApplication entity with the Cloud Apps
/// catalogue id (not an Entra appId) and often an Account entity whose aadUserId is the service principal's object id.
/// </summary>
public sealed class OAuthAppAlertTests
{
    private const string Alert = """
        {
          "SystemAlertId": "b4d6f8a0-2c4e-4a6b-8d0f-3b5d7f9b1d3f",
          "AlertDisplayName": "Suspicious OAuth app file download activities",
          "AlertName": "Suspicious OAuth app file download activities",
          "AlertType": "MCAS_ALERT_ANUBIS_DETECTION_OAUTH_APP_SUSPICIOUS_FILE_DOWNLOAD",
          "ProductName": "Microsoft Cloud App Security",
          "Severity": "Medium",
          "Status": "New",
          "StartTimeUtc": "2026-11-20T02:50:00Z",
          "EndTimeUtc": "2026-11-20T02:58:00Z",
          "TimeGenerated": "2026-11-20T03:10:00Z",
          "Entities": [
            { "$id": "2", "AppId": 11161, "Name": "Doc Viewer Pro", "InstanceName": "Doc Viewer Pro", "Type": "cloud-application" },
            { "$id": "3", "Name": "Doc Viewer Pro", "AadUserId": "d0c0f1e2-0000-4000-8000-00000000d001", "Type": "account" }
          ]
        }
        """;

    [Fact]
    public void Triage_OAuthAppAlert_KeepsCase2WithTheAppNameAndTheServicePrincipalAccount()
    {
        var triage = SentinelTriage.Triage(SentinelPayloadParser.Parse(Alert), TriageTable.Default);

        Assert.Contains(CaseId.CompromisedAppIdentity, triage.Cases);
        Assert.Equal(["name:Doc Viewer Pro", ContosoApps.DocViewerSp], triage.Targets.Applications);
    }

    [Fact]
    public async Task Prepare_CatalogueAppNamedOnce_ResolvesToTheServicePrincipal()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        var request = IntakeRequests.From(SentinelTriage.Triage(SentinelPayloadParser.Parse(Alert), TriageTable.Default), "sentinel-alert-x", "intake")!;

        var (scope, unresolved) = await harness.Services.GetRequiredService<TargetResolver>().ResolveAsync(request, DateTimeOffset.UtcNow, default);

        Assert.Equal([ContosoApps.DocViewerSp], scope.Applications.Select(a => a.Id));
        Assert.Empty(unresolved);
    }

    [Fact]
    public async Task Prepare_CatalogueAppNameShared_StaysOutWithTheReason()
    {
        await using var harness = await PlaybookHarness.StartAsync(ContosoApps.Scenario, ContosoApps.Configure);
        harness.Tenant.State.Mutate(m => m.ServicePrincipals.Add(new SimServicePrincipal
        {
            Id = "d0c0f1e2-0000-4000-8000-00000000d0ff", AppId = "d0c0f1e2-7a1b-4c3d-9e8f-0a1b2c3d4eff", DisplayName = "Doc Viewer Pro",
        }));
        var request = IntakeRequests.From(SentinelTriage.Triage(SentinelPayloadParser.Parse(Alert), TriageTable.Default), "sentinel-alert-x", "intake")!
            with { Targets = new ResponseFunctions.Playbook.Requests.ContainmentTargets([], [], []) { Applications = ["name:Doc Viewer Pro"] } };

        var (scope, unresolved) = await harness.Services.GetRequiredService<TargetResolver>().ResolveAsync(request, DateTimeOffset.UtcNow, default);

        Assert.Empty(scope.Applications);
        Assert.Contains("Ambiguous: 2 service principals", Assert.Single(unresolved).Reason, StringComparison.Ordinal);
    }
}
