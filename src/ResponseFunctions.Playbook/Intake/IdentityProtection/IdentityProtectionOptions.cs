namespace ResponseFunctions.Playbook.Intake.IdentityProtection;

/// <summary>Configuration section <c>Intake:IdentityProtection</c>: which risk detections start a containment.</summary>
public sealed class IdentityProtectionOptions
{
    public const string SectionName = "Intake:IdentityProtection";

    /// <summary>Off by default: polling needs IdentityRiskEvent.Read.All and IdentityRiskyUser.Read.All (Entra ID P2).</summary>
    public bool Enabled { get; set; }

    /// <summary>Detections of a type without its own threshold start Case 1 at or above this level: "high" (default), "medium" or "low".</summary>
    public string MinimumRiskLevel { get; set; } = "high";

    /// <summary>
    /// Thresholds per riskEventType, over <see cref="MinimumRiskLevel"/>. Configuration adds to or overrides the
    /// defaults, which follow the Identity Protection risk reference (learn.microsoft.com/entra/id-protection/concept-identity-protection-risks,
    /// ../shared/seeds/004_*): a detection that says the account IS compromised or its valid credentials are out acts at
    /// any level; one that sees the attacker's own actions (inbox rules hiding or forwarding mail, a password spray that
    /// succeeded, Microsoft threat intelligence matching known attack patterns) acts from medium; the rest (sign-in
    /// anomalies, and anomalousToken, which the reference says is tuned to be noisier) keep the global level.
    /// </summary>
    public Dictionary<string, string> MinimumRiskLevelByType { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["adminConfirmedUserCompromised"] = "low",
        ["leakedCredentials"] = "low",
        ["mcasSuspiciousInboxManipulationRules"] = "medium",
        ["suspiciousInboxForwarding"] = "medium",
        ["passwordSpray"] = "medium",
        ["investigationsThreatIntelligence"] = "medium",
    };

    /// <summary>The threshold that applies to this detection type, and whether it is the type's own.</summary>
    public (string Level, bool PerType) ThresholdFor(string riskEventType) =>
        MinimumRiskLevelByType.TryGetValue(riskEventType, out var level) ? (level, true) : (MinimumRiskLevel, false);

    /// <summary>One containment per user per window: later detections in the same window are journaled as duplicates.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Page size asked of Graph ($top; riskDetections allows up to 500).</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>Where the very first poll starts when no watermark is stored; defaults to <see cref="InitialLookback"/> ago.</summary>
    public DateTimeOffset? Since { get; set; }

    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromHours(24);
}
