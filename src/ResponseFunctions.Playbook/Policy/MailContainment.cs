using System.Net.Mail;
using System.Text.RegularExpressions;

namespace ResponseFunctions.Playbook.Policy;

/// <summary>
/// Cases 4 and 5 (Exchange Online): the organisation's legitimate mail configuration, against which the incident's
/// changes are judged, and the hardening values to apply. Every list is empty by default: nothing is assumed legitimate.
/// </summary>
public sealed class MailContainment
{
    /// <summary>How far before the containment opened a change counts as the incident's (5.b transport rules, 4.a allow entries). Default 14 days.</summary>
    public TimeSpan IncidentLookback { get; set; } = TimeSpan.FromDays(14);

    /// <summary>5.a: folders an inbox rule hides mail in (the attacker's favourites). A rule moving mail there is illegitimate.</summary>
    public List<string> ObscureFolders { get; set; } = ["RSS Feeds", "RSS Subscriptions", "Conversation History", "Archive", "Deleted Items", "Junk Email"];

    /// <summary>5.d: mailboxes (UPN) whose business need for POP, IMAP or SMTP AUTH is justified (scanners, line-of-business apps).</summary>
    public List<string> LegacyProtocolAllowList { get; set; } = [];

    /// <summary>5.f: the legitimate delegations. Any FullAccess, SendAs or SendOnBehalf not listed here is removed.</summary>
    public List<DelegationBaselineEntry> DelegationBaseline { get; set; } = [];

    /// <summary>5.e: extensions merged into the default malware filter policy's file filter (the sheet's exe, js, vbs, scr and usual droppers).</summary>
    public List<string> BlockedAttachmentExtensions { get; set; } = ["exe", "js", "vbs", "scr", "hta", "iso", "img", "lnk", "bat", "cmd", "wsf", "jar"];

    /// <summary>5.e: extensions seen in this incident, rejected by a dedicated transport rule (which also inspects archives). Empty: no rule.</summary>
    public List<string> IncidentAttachmentExtensions { get; set; } = [];

    public string AttachmentRuleName { get; set; } = "ResponseFunctions - block incident attachment extensions";

    /// <summary>4.a: tenant allow list values (domains or addresses) that are legitimate. Other allow entries are removed.</summary>
    public List<string> AllowListBaseline { get; set; } = [];

    /// <summary>4.b: trusted senders (anti-phish ExcludedSenders) that are legitimate.</summary>
    public List<string> TrustedSendersBaseline { get; set; } = [];

    /// <summary>4.b: trusted domains (anti-phish ExcludedDomains) that are legitimate.</summary>
    public List<string> TrustedDomainsBaseline { get; set; } = [];

    /// <summary>4.c: at-risk users (VIP, technical accounts, management) put under the Strict preset security policy.</summary>
    public List<string> AtRiskUsers { get; set; } = [];

    public string StrictPresetRuleName { get; set; } = "Strict Preset Security Policy";

    public OutboundSpamLimits OutboundSpam { get; set; } = new();
}

/// <summary>One legitimate delegation: <see cref="Trustee"/> holds <see cref="Rights"/> on <see cref="Mailbox"/>.</summary>
public sealed class DelegationBaselineEntry
{
    public string Mailbox { get; set; } = string.Empty;

    public string Trustee { get; set; } = string.Empty;

    /// <summary>FullAccess, SendAs, SendOnBehalf.</summary>
    public List<string> Rights { get; set; } = [];
}

/// <summary>4.c: the default outbound spam policy's limits (Microsoft's recommended strict values by default) and who is told.</summary>
public sealed class OutboundSpamLimits
{
    public int RecipientLimitExternalPerHour { get; set; } = 400;

    public int RecipientLimitInternalPerHour { get; set; } = 800;

    public int RecipientLimitPerDay { get; set; } = 800;

    /// <summary>BlockUser: a user over the limit cannot send until an administrator releases them.</summary>
    public string ActionWhenThresholdReached { get; set; } = "BlockUser";

    /// <summary>Administrators told when a user is blocked for outbound spam. Empty: the notification is switched on without extra recipients.</summary>
    public List<string> NotifyRecipients { get; set; } = [];
}

internal static partial class MailContainmentRules
{
    public static readonly string[] DelegationRights = ["FullAccess", "SendAs", "SendOnBehalf"];

    public static void AddProblems(MailContainment mail, List<string> problems)
    {
        if (mail.IncidentLookback < TimeSpan.FromHours(1) || mail.IncidentLookback > TimeSpan.FromDays(365))
        {
            problems.Add($"Mail.IncidentLookback must be between 1 hour and 365 days (was {mail.IncidentLookback}).");
        }

        foreach (var extension in mail.BlockedAttachmentExtensions.Concat(mail.IncidentAttachmentExtensions).Where(e => !Extension().IsMatch(e)))
        {
            problems.Add($"Mail: '{extension}' is not a file extension (letters and digits, without the dot).");
        }

        foreach (var (values, field) in new[] { (mail.LegacyProtocolAllowList, "LegacyProtocolAllowList"), (mail.TrustedSendersBaseline, "TrustedSendersBaseline"),
                     (mail.AtRiskUsers, "AtRiskUsers"), (mail.OutboundSpam.NotifyRecipients, "OutboundSpam.NotifyRecipients") })
        {
            problems.AddRange(values.Where(v => !MailAddress.TryCreate(v, out _)).Select(v => $"Mail.{field}: '{v}' is not a mail address."));
        }

        foreach (var (values, field) in new[] { (mail.TrustedDomainsBaseline, "TrustedDomainsBaseline"), (mail.AllowListBaseline, "AllowListBaseline") })
        {
            problems.AddRange(values.Where(v => !Domain().IsMatch(v) && !MailAddress.TryCreate(v, out _)).Select(v => $"Mail.{field}: '{v}' is not a domain or mail address."));
        }

        foreach (var entry in mail.DelegationBaseline)
        {
            if (!MailAddress.TryCreate(entry.Mailbox, out _) || !MailAddress.TryCreate(entry.Trustee, out _))
            {
                problems.Add($"Mail.DelegationBaseline: mailbox '{entry.Mailbox}' and trustee '{entry.Trustee}' must be mail addresses (UPN).");
            }

            problems.AddRange(entry.Rights.Where(r => !DelegationRights.Contains(r, StringComparer.OrdinalIgnoreCase))
                .Select(r => $"Mail.DelegationBaseline: '{r}' is not one of {string.Join(", ", DelegationRights)}."));
        }

        var limits = mail.OutboundSpam;
        foreach (var (value, field) in new[] { (limits.RecipientLimitExternalPerHour, "RecipientLimitExternalPerHour"),
                     (limits.RecipientLimitInternalPerHour, "RecipientLimitInternalPerHour"), (limits.RecipientLimitPerDay, "RecipientLimitPerDay") })
        {
            // 0 means "the service default" (the highest limits): never a hardening value.
            if (value is < 1 or > 10000)
            {
                problems.Add($"Mail.OutboundSpam.{field} must be from 1 to 10000 (was {value}).");
            }
        }

        if (limits.ActionWhenThresholdReached is not ("Alert" or "BlockUser" or "BlockUserForToday"))
        {
            problems.Add("Mail.OutboundSpam.ActionWhenThresholdReached must be Alert, BlockUser or BlockUserForToday.");
        }

        foreach (var (value, field) in new[] { (mail.AttachmentRuleName, "AttachmentRuleName"), (mail.StrictPresetRuleName, "StrictPresetRuleName") })
        {
            if (string.IsNullOrWhiteSpace(value) || value.Length > 64)
            {
                problems.Add($"Mail.{field} must be 1 to 64 characters.");
            }
        }

        problems.AddRange(mail.ObscureFolders.Where(string.IsNullOrWhiteSpace).Select(_ => "Mail.ObscureFolders: a folder name cannot be empty."));
    }

    [GeneratedRegex("^[A-Za-z0-9]{1,10}\\z")]
    private static partial Regex Extension();

    [GeneratedRegex(@"^(\*\.)?([A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63}\z")]
    private static partial Regex Domain();
}
