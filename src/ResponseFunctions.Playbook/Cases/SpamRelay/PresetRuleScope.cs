using System.Text.Json;
using ResponseFunctions.Playbook.Cases.MailDataLeak;

namespace ResponseFunctions.Playbook.Cases.SpamRelay;

/// <summary>
/// The recipient scope of a preset security policy rule (Get-EOPProtectionPolicyRule / Get-ATPProtectionPolicyRule)
/// and the changes that bring at-risk users under it without ever taking anyone else out.
/// </summary>
/// <remarks>
/// Source: Set-EOPProtectionPolicyRule and Set-ATPProtectionPolicyRule (learn.microsoft.com/powershell/module/exchangepowershell/):
/// "Different types of recipient conditions use AND logic… Different types of recipient exceptions use OR logic", and
/// example 2: with every condition cleared the preset applies to all recipients. So adding -SentTo to a rule with no
/// condition, or with only a domain or group condition, NARROWS it; only a rule that already lists SentTo can take more.
/// A disabled rule protects nobody, so scoping it to the at-risk users before switching it on only widens.
/// </remarks>
public sealed record PresetRuleScope(
    string Kind, string Identity, string State,
    IReadOnlyList<string> SentTo, IReadOnlyList<string> SentToMemberOf, IReadOnlyList<string> RecipientDomainIs,
    IReadOnlyList<string> ExceptIfSentTo, IReadOnlyList<string> ExceptIfSentToMemberOf, IReadOnlyList<string> ExceptIfRecipientDomainIs)
{
    public bool Enabled => State == "Enabled";

    private bool Unconditioned => SentTo.Count == 0 && SentToMemberOf.Count == 0 && RecipientDomainIs.Count == 0;

    public static PresetRuleScope Read(string kind, JsonElement rule, string fallbackIdentity) => new(
        kind, Mail.Str(rule, "Identity") ?? fallbackIdentity, Mail.Str(rule, "State") ?? "?",
        Mail.Strings(rule, "SentTo"), Mail.Strings(rule, "SentToMemberOf"), Mail.Strings(rule, "RecipientDomainIs"),
        Mail.Strings(rule, "ExceptIfSentTo"), Mail.Strings(rule, "ExceptIfSentToMemberOf"), Mail.Strings(rule, "ExceptIfRecipientDomainIs"));

    /// <summary>Who the rule protects, in words.</summary>
    public string Describe()
    {
        if (!Enabled)
        {
            return $"{State}: protects nobody";
        }

        var conditions = new[] { ("recipients", SentTo), ("members of", SentToMemberOf), ("domains", RecipientDomainIs) }
            .Where(c => c.Item2.Count > 0).Select(c => $"{c.Item1} {string.Join(", ", c.Item2)}").ToList();
        var exceptions = new[] { ("recipients", ExceptIfSentTo), ("members of", ExceptIfSentToMemberOf), ("domains", ExceptIfRecipientDomainIs) }
            .Where(c => c.Item2.Count > 0).Select(c => $"{c.Item1} {string.Join(", ", c.Item2)}").ToList();
        return (conditions.Count == 0 ? "Enabled: protects everyone" : "Enabled: protects " + string.Join(" AND ", conditions))
            + (exceptions.Count == 0 ? string.Empty : "; except " + string.Join(" OR ", exceptions));
    }

    /// <summary>Yes, no, or unknown (a group condition or exception: membership is not read here).</summary>
    public bool? Protects(string address)
    {
        if (!Enabled)
        {
            return false;
        }

        var domain = Mail.AddressOf(address).Split('@').Last();
        if (ExceptIfSentTo.Any(a => Mail.SameAddress(a, address)) || ExceptIfRecipientDomainIs.Contains(domain, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        if ((SentTo.Count > 0 && !SentTo.Any(a => Mail.SameAddress(a, address))) || (RecipientDomainIs.Count > 0 && !RecipientDomainIs.Contains(domain, StringComparer.OrdinalIgnoreCase)))
        {
            return false;
        }

        return SentToMemberOf.Count > 0 || ExceptIfSentToMemberOf.Count > 0 ? null : true;
    }

    /// <summary>
    /// The widening-only change for these users: users to add to SentTo, users to take out of ExceptIfSentTo, whether to
    /// switch the rule on, and the users it cannot cover without narrowing someone else (left to a person).
    /// </summary>
    public PresetWidening Widen(IReadOnlyList<string> atRiskUsers)
    {
        if (!Enabled && Unconditioned && ExceptIfSentTo.Count + ExceptIfSentToMemberOf.Count + ExceptIfRecipientDomainIs.Count == 0)
        {
            // Off, it protects nobody: scoping it to the at-risk users, then switching it on, widens from nobody.
            return new PresetWidening(atRiskUsers, [], Enable: true, []);
        }

        var scope = this with { State = "Enabled" };
        var addToSentTo = new List<string>();
        var removeFromExceptions = new List<string>();
        var manual = new List<string>();
        foreach (var user in atRiskUsers)
        {
            var domain = Mail.AddressOf(user).Split('@').Last();
            var exceptedByName = ExceptIfSentTo.Where(a => Mail.SameAddress(a, user)).ToList();
            var withoutException = scope with { ExceptIfSentTo = [.. ExceptIfSentTo.Except(exceptedByName)] };
            removeFromExceptions.AddRange(exceptedByName);
            if (withoutException.Protects(user) is not false)
            {
                if (withoutException.Protects(user) is null)
                {
                    manual.Add($"{user} (protected only if a member of {string.Join(", ", SentToMemberOf.Concat(ExceptIfSentToMemberOf.Select(g => "not " + g)))})");
                }

                continue;
            }

            var domainOk = RecipientDomainIs.Count == 0 || RecipientDomainIs.Contains(domain, StringComparer.OrdinalIgnoreCase);
            var notExceptedByDomain = !ExceptIfRecipientDomainIs.Contains(domain, StringComparer.OrdinalIgnoreCase);
            if (SentTo.Count > 0 && domainOk && notExceptedByDomain)
            {
                addToSentTo.Add(user);
            }
            else
            {
                manual.Add($"{user} (adding them would narrow the rule's other conditions: {Describe()})");
            }
        }

        return new PresetWidening(addToSentTo, removeFromExceptions, Enable: !Enabled, manual);
    }
}

/// <summary>What to change on a preset rule so it protects more people and nobody fewer.</summary>
public sealed record PresetWidening(IReadOnlyList<string> AddToSentTo, IReadOnlyList<string> RemoveFromExceptIfSentTo, bool Enable, IReadOnlyList<string> Manual)
{
    public bool ChangesSomething => AddToSentTo.Count > 0 || RemoveFromExceptIfSentTo.Count > 0 || Enable;
}
