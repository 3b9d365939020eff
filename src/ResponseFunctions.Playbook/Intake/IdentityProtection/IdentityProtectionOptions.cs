namespace ResponseFunctions.Playbook.Intake.IdentityProtection;

/// <summary>Configuration section <c>Intake:IdentityProtection</c>: which risk detections start a containment.</summary>
public sealed class IdentityProtectionOptions
{
    public const string SectionName = "Intake:IdentityProtection";

    /// <summary>Off by default: polling needs IdentityRiskEvent.Read.All and IdentityRiskyUser.Read.All (Entra ID P2).</summary>
    public bool Enabled { get; set; }

    /// <summary>Detections at or above this level start Case 1: "high" (default), "medium" or "low".</summary>
    public string MinimumRiskLevel { get; set; } = "high";

    /// <summary>One containment per user per window: later detections in the same window are journaled as duplicates.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Page size asked of Graph ($top; riskDetections allows up to 500).</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>Where the very first poll starts when no watermark is stored; defaults to <see cref="InitialLookback"/> ago.</summary>
    public DateTimeOffset? Since { get; set; }

    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromHours(24);
}
