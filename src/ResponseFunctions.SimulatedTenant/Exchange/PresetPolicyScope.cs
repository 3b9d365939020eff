using System.Text.Json.Nodes;

namespace ResponseFunctions.SimulatedTenant.Exchange;

/// <summary>
/// Who a preset security policy rule (*-EOPProtectionPolicyRule, *-ATPProtectionPolicyRule) protects, as the service
/// decides it: a disabled rule protects nobody; a rule with no recipient condition protects everyone; conditions of
/// different kinds (SentTo, SentToMemberOf, RecipientDomainIs) are ANDed, values within one kind ORed; any exception
/// (ExceptIfSentTo, ExceptIfSentToMemberOf, ExceptIfRecipientDomainIs) takes the recipient out.
/// </summary>
/// <remarks>Source: Set-EOPProtectionPolicyRule (learn.microsoft.com/powershell/module/exchangepowershell/set-eopprotectionpolicyrule),
/// "Different types of recipient conditions use AND logic… Different types of recipient exceptions use OR logic", and
/// example 2 (clearing every condition applies the preset to all recipients); Set-ATPProtectionPolicyRule, same wording.</remarks>
public static class PresetPolicyScope
{
    public static readonly string[] ConditionParameters = ["SentTo", "SentToMemberOf", "RecipientDomainIs"];
    public static readonly string[] ExceptionParameters = ["ExceptIfSentTo", "ExceptIfSentToMemberOf", "ExceptIfRecipientDomainIs"];

    /// <summary>Whether the rule protects <paramref name="recipient"/> (an SMTP address); <paramref name="groupsOf"/> names the groups it belongs to.</summary>
    public static bool Protects(JsonObject rule, string recipient, Func<string, IReadOnlyCollection<string>> groupsOf)
    {
        if (!string.Equals((string?)rule["State"], "Enabled", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var domain = recipient[(recipient.IndexOf('@') + 1)..];
        var groups = groupsOf(recipient);
        bool Matches(string kind, IReadOnlyList<string> values) => kind switch
        {
            "SentTo" or "ExceptIfSentTo" => values.Contains(recipient, StringComparer.OrdinalIgnoreCase),
            "RecipientDomainIs" or "ExceptIfRecipientDomainIs" => values.Contains(domain, StringComparer.OrdinalIgnoreCase),
            _ => values.Any(g => groups.Contains(g, StringComparer.OrdinalIgnoreCase)),
        };

        var included = ConditionParameters.All(kind => Values(rule, kind) is not { Count: > 0 } values || Matches(kind, values));
        var excluded = ExceptionParameters.Any(kind => Values(rule, kind) is { Count: > 0 } values && Matches(kind, values));
        return included && !excluded;
    }

    private static IReadOnlyList<string> Values(JsonObject rule, string kind) =>
        rule[kind] is JsonArray array ? [.. array.Select(n => (string?)n ?? "")] : rule[kind] is JsonValue one && one.TryGetValue<string>(out var s) ? [s] : [];
}
