namespace ResponseFunctions.Playbook.Intake.Triage;

/// <summary>
/// The triage table. The defaults map the sheet's "attacks considered" onto its cases: account takeover (BEC/EAC,
/// T1078.004) → 1; malicious or abused enterprise application (T1528) → 2; compromised Azure resource → 3; the
/// tenant used to relay spam or phishing (T1496.004) → 4, and 1 for the sending account; mail exfiltration through
/// forwarding or inbox rules (T1114) → 5, and 1 for the account that set them.
/// </summary>
public sealed class TriageTable(IReadOnlyList<TriageRule> rules)
{
    public IReadOnlyList<TriageRule> Rules { get; } = rules;

    public static TriageTable Default { get; } = new(Defaults);

    public static IReadOnlyList<TriageRule> Defaults =>
    [
        new()
        {
            Name = "Account takeover (leaked credentials, atypical travel, password spray, anomalous token)",
            Cases = [1],
            AlertTypes =
            [
                "LeakedCredentials", "ImpossibleTravel", "UnlikelyTravel", "mcasImpossibleTravel", "PasswordSpray", "AnomalousToken",
                "TokenIssuerAnomaly", "AttackerinTheMiddle", "adminConfirmedUserCompromised",
            ],
            Keywords =
            [
                "leaked credentials", "atypical travel", "impossible travel", "password spray", "anomalous token", "token issuer anomaly",
                "adversary-in-the-middle", "attacker in the middle", "confirmed user compromised",
            ],
        },
        new()
        {
            Name = "Consent grant or suspicious application",
            Cases = [2],
            Keywords =
            [
                "consent grant", "consent to a suspicious", "suspicious oauth", "malicious oauth", "suspicious app", "malicious app",
                "credentials to an oauth app", "unusual addition of credentials",
            ],
        },
        new()
        {
            Name = "Defender for Cloud resource alert",
            Cases = [3],
            Products = ["Azure Security Center", "Microsoft Defender for Cloud", "Azure Defender"],
        },
        new()
        {
            Name = "Outbound spam or user restricted from sending",
            Cases = [4, 1],
            Keywords =
            [
                "restricted from sending", "outbound spam", "suspicious email sending patterns", "email sending limit exceeded",
                "suspicious sending patterns",
            ],
            AlertTypes = ["suspiciousSendingPatterns"],
        },
        new()
        {
            Name = "Inbox forwarding or manipulation rules",
            Cases = [5, 1],
            AlertTypes = ["suspiciousInboxForwarding", "mcasSuspiciousInboxManipulationRules"],
            Keywords =
            [
                "inbox forwarding", "forwarding rule", "forwarding/redirect rule", "mail forwarding", "inbox manipulation",
                "inbox rule", "redirect rule",
            ],
        },
    ];
}
