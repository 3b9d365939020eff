using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Intake.Triage;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Intake.IdentityProtection;

/// <summary>
/// Triage of one Identity Protection risk detection: at or above its type's threshold (<see cref="IdentityProtectionOptions.ThresholdFor"/>), not dismissed or remediated
/// (the detection or, since, the user's risk), it calls for Case 1 on its user; inbox forwarding or manipulation
/// rules call for Case 5 as well. Anything else calls for nothing, saying why.
/// </summary>
public static class RiskTriage
{
    private static readonly HashSet<string> MailboxRuleTypes = new(["suspiciousInboxForwarding", "mcasSuspiciousInboxManipulationRules"], StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string> TokenTheftTypes = new(["anomalousToken", "attackerinTheMiddle", "tokenIssuerAnomaly"], StringComparer.OrdinalIgnoreCase);

    public static TriageResult Triage(RiskDetection detection, RiskyUser? riskyUser, IdentityProtectionOptions options)
    {
        var type = detection.RiskEventType ?? "unknown";
        var source = new IncidentSource(IncidentSource.IdentityProtection, detection.Id ?? "?", type,
            $"{type} for {detection.UserPrincipalName ?? detection.UserId} at {detection.DetectedDateTime:u}");
        var level = detection.RiskLevel;
        var (thresholdLevel, perType) = options.ThresholdFor(type);
        var threshold = Rank(thresholdLevel);
        var thresholdText = perType ? $"{thresholdLevel} for {type}" : $"{thresholdLevel} (global; no threshold of its own for {type})";
        var why = detection.RiskState switch
        {
            RiskState.Dismissed or RiskState.Remediated or RiskState.ConfirmedSafe => $"the detection is {Enum(detection.RiskState)}",
            _ when Rank(Enum(level)) < threshold => $"risk level {Enum(level)} is below the threshold {thresholdText}",
            _ when riskyUser?.RiskState is RiskState.Dismissed or RiskState.Remediated or RiskState.ConfirmedSafe =>
                $"the user's risk is now {Enum(riskyUser.RiskState)} ({Enum(riskyUser.RiskDetail)})",
            _ when TargetSyntax.Guid(detection.UserId) is null => "the detection names no user id",
            _ => null,
        };
        var severity = level switch { RiskLevel.High => IncidentSeverity.High, RiskLevel.Medium => IncidentSeverity.Medium, RiskLevel.Low => IncidentSeverity.Low, _ => (IncidentSeverity?)null };
        var user = $"user {detection.UserPrincipalName ?? detection.UserId}";
        if (why is not null)
        {
            return new TriageResult(source, [], ContainmentTargets.Empty, [$"Risk detection {detection.Id} ({type}, {Enum(level)}) not acted on: {why}."], [new(user, why)])
            {
                Severity = severity,
            };
        }

        var cases = new List<CaseId> { CaseId.CompromisedAccount };
        var reasons = new List<string> { $"Risk detection {detection.Id}: {type} at level {Enum(level)} (threshold {thresholdText}), state {Enum(detection.RiskState)}, detected {detection.DetectedDateTime:u} → case 1 for {user}." };
        if (MailboxRuleTypes.Contains(type))
        {
            cases.Add(CaseId.MailDataLeak);
            reasons.Add($"{type}: inbox forwarding or manipulation rules → case 5 as well.");
        }

        if (TokenTheftTypes.Contains(type))
        {
            reasons.Add($"{type}: token theft (AiTM) is likely: revoking sessions (1.b) matters more than the password reset.");
        }

        var ignored = new List<IgnoredEntity>();
        var ips = new List<string>();
        if (detection.IpAddress is { Length: > 0 } address)
        {
            if (TargetSyntax.PublicIp(address, out var ipWhy) is { } ip)
            {
                ips.Add(ip);
            }
            else
            {
                ignored.Add(new($"ip '{address}'", ipWhy!));
            }
        }

        return new TriageResult(source, cases, new ContainmentTargets([TargetSyntax.Guid(detection.UserId)!], ips, []), reasons, ignored)
        {
            Severity = severity,
            Evidence = detection.Location is { } location ? [new("location", $"{location.City}, {location.CountryOrRegion}")] : [],
        };
    }

    private static int Rank(string? level) => level?.ToLowerInvariant() switch
    {
        "low" => 1,
        "medium" => 2,
        "high" => 3,
        _ => 0,
    };

    private static string Enum<T>(T? value)
        where T : struct, System.Enum =>
        value is { } v ? System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(v.ToString()) : "none";
}
