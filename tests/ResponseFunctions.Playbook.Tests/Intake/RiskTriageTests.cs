using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Intake.IdentityProtection;

namespace ResponseFunctions.Playbook.Tests.Intake;

/// <summary>
/// Thresholds per risk event type, defaults from the Identity Protection risk reference (../shared/seeds/004_*):
/// a medium detection of the attacker's own actions is not dropped by the global "high".
/// </summary>
public sealed class RiskTriageTests
{
    [Theory]
    [InlineData("mcasSuspiciousInboxManipulationRules", new[] { CaseId.CompromisedAccount, CaseId.MailDataLeak })]
    [InlineData("investigationsThreatIntelligence", new[] { CaseId.CompromisedAccount })]
    [InlineData("passwordSpray", new[] { CaseId.CompromisedAccount })]
    public void Triage_MediumDetectionOfAnAttackerAction_CallsForContainmentDespiteTheGlobalHigh(string type, CaseId[] expected)
    {
        var triage = RiskTriage.Triage(Detection(type, RiskLevel.Medium), null, new IdentityProtectionOptions());

        Assert.Equal(expected, triage.Cases);
        Assert.Contains($"threshold medium for {type}", triage.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Triage_MediumSignInAnomaly_StaysBelowTheGlobalThresholdAndSaysWhich()
    {
        var triage = RiskTriage.Triage(Detection("unfamiliarFeatures", RiskLevel.Medium), null, new IdentityProtectionOptions());

        Assert.Empty(triage.Cases);
        Assert.Contains("below the threshold high (global", triage.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Triage_TypeThresholdConfigured_OverridesTheDefault()
    {
        var options = new IdentityProtectionOptions();
        options.MinimumRiskLevelByType["mcasSuspiciousInboxManipulationRules"] = "high";

        var triage = RiskTriage.Triage(Detection("mcasSuspiciousInboxManipulationRules", RiskLevel.Medium), null, options);

        Assert.Empty(triage.Cases);
    }

    [Fact]
    public void Triage_AdminConfirmedCompromisedAtLow_CallsForCase1()
    {
        var triage = RiskTriage.Triage(Detection("adminConfirmedUserCompromised", RiskLevel.Low), null, new IdentityProtectionOptions());

        Assert.Equal([CaseId.CompromisedAccount], triage.Cases);
    }

    private static RiskDetection Detection(string type, RiskLevel level) => new()
    {
        Id = "d-1",
        RiskEventType = type,
        RiskLevel = level,
        RiskState = RiskState.AtRisk,
        UserId = "7d2e4f60-1a3b-4c5d-8e9f-0a1b2c3d4e02",
        UserPrincipalName = "megan.bowen@contoso.onmicrosoft.com",
        DetectedDateTime = new DateTimeOffset(2026, 11, 20, 5, 0, 0, TimeSpan.Zero),
    };
}
