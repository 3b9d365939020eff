using System.Globalization;
using System.Text.Json.Nodes;

namespace ResponseFunctions.SimulatedTenant.Exchange;

internal sealed record CmdletOutput(IReadOnlyList<JsonObject> Objects, IReadOnlyList<string> Warnings)
{
    public static CmdletOutput Of(IEnumerable<JsonObject> objects) => new([.. objects], []);

    public static CmdletOutput Nothing { get; } = new([], []);

    public static CmdletOutput Warning(string warning) => new([], [warning]);
}

/// <summary>
/// The cmdlets the playbook runs, each with the parameters it accepts (anything else is refused as PowerShell would).
/// Set-* cmdlets that change nothing answer with the service's "no settings ... have been modified" warning, and
/// Remove-*Permission of an absent entry with its "ACE" warning, as the real service does.
/// </summary>
internal static class ExchangeCmdlets
{
    /// <summary>PowerShell common parameters, plus -Confirm, which only some cmdlets that change something have.</summary>
    private static readonly string[] Common = ["Confirm", "ErrorAction", "WarningAction"];

    /// <summary>Source: the cmdlet reference (office-docs-powershell): no Get-* cmdlet, nor New-/Remove-TenantAllowBlockListItems, has -Confirm.</summary>
    private static readonly HashSet<string> WithoutConfirm = new(StringComparer.OrdinalIgnoreCase) { "New-TenantAllowBlockListItems", "Remove-TenantAllowBlockListItems" };

    private static string[] CommonFor(string cmdlet) =>
        cmdlet.StartsWith("Get-", StringComparison.OrdinalIgnoreCase) || WithoutConfirm.Contains(cmdlet) ? Common[1..] : Common;

    private static readonly string[] MailboxProperties =
    [
        "Identity", "Name", "Alias", "DisplayName", "UserPrincipalName", "PrimarySmtpAddress", "ExternalDirectoryObjectId", "RecipientTypeDetails",
        "ForwardingSmtpAddress", "ForwardingAddress", "DeliverToMailboxAndForward", "GrantSendOnBehalfTo", "WhenChanged",
    ];

    private static readonly string[] CasProperties =
    [
        "Identity", "Name", "PrimarySmtpAddress", "ExternalDirectoryObjectId", "PopEnabled", "ImapEnabled", "MAPIEnabled", "OWAEnabled", "EwsEnabled",
        "ActiveSyncEnabled", "SmtpClientAuthenticationDisabled",
    ];

    // The conditions and actions of an inbox rule New-InboxRule documents, that the simulated mailboxes keep.
    private static readonly string[] InboxRuleSettable =
    [
        "Name", "Priority", "SubjectOrBodyContainsWords", "SubjectContainsWords", "BodyContainsWords", "FromAddressContainsWords", "From", "SentTo",
        "ForwardTo", "RedirectTo", "ForwardAsAttachmentTo", "MoveToFolder", "CopyToFolder", "MarkAsRead", "DeleteMessage", "StopProcessingRules",
    ];

    // The conditions and actions a rule can be created with, as New-TransportRule documents them (a release re-creates a removed rule from its export).
    private static readonly string[] TransportRuleSettable =
    [
        "Name", "AttachmentExtensionMatchesWords", "RejectMessageReasonText", "RejectMessageEnhancedStatusCode", "Mode",
        "FromScope", "SentToScope", "BlindCopyTo", "CopyTo", "RedirectMessageTo", "ApplyHtmlDisclaimerText", "ApplyHtmlDisclaimerLocation",
        "FromAddressContainsWords", "SubjectOrBodyContainsWords", "DeleteMessage",
    ];

    private static readonly string[] PresetRuleSettable = [.. PresetPolicyScope.ConditionParameters, .. PresetPolicyScope.ExceptionParameters, "Comments", "Priority"];

    private static readonly Dictionary<string, (string[] Accepted, Func<CmdletParameters, TenantModel, DateTimeOffset, CmdletOutput> Run)> Table =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["Get-AcceptedDomain"] = ([], (_, m, _) => CmdletOutput.Of(m.Exchange.AcceptedDomains.Select(d => new JsonObject { ["Identity"] = d, ["DomainName"] = d }))),
            ["Get-Mailbox"] = (["Identity", "RecipientTypeDetails", "ResultSize"], GetMailbox),
            ["Set-Mailbox"] = (["Identity", "ForwardingSmtpAddress", "ForwardingAddress", "DeliverToMailboxAndForward", "GrantSendOnBehalfTo"],
                (p, m, now) => SetObject(p, RequireMailbox(m, p.Required("Identity")), now)),
            ["Get-CASMailbox"] = (["Identity", "ResultSize"], GetCasMailbox),
            ["Set-CASMailbox"] = (["Identity", "PopEnabled", "ImapEnabled", "MAPIEnabled", "OWAEnabled", "EwsEnabled", "ActiveSyncEnabled", "SmtpClientAuthenticationDisabled"],
                (p, m, now) => SetObject(p, RequireMailbox(m, p.Required("Identity")), now)),
            ["Get-InboxRule"] = (["Mailbox", "Identity", "IncludeHidden"], GetInboxRule),
            ["Remove-InboxRule"] = (["Identity", "Mailbox", "AlwaysDeleteOutlookRulesBlob", "Force"], RemoveInboxRule),
            ["New-InboxRule"] = (["Mailbox", .. InboxRuleSettable, "Force"], NewInboxRule),
            ["Get-MailboxPermission"] = (["Identity", "User"], (p, m, _) => CmdletOutput.Of(Permissions(m.Exchange.MailboxPermissions, RequireMailbox(m, p.Required("Identity")), "User", p.String("User")))),
            ["Remove-MailboxPermission"] = (["Identity", "User", "AccessRights", "InheritanceType", "BypassMasterAccountSid"],
                (p, m, _) => RemovePermission(m, m.Exchange.MailboxPermissions, p, "User", "because the ACE doesn't exist on the object.")),
            ["Add-MailboxPermission"] = (["Identity", "User", "AccessRights", "InheritanceType", "AutoMapping"],
                (p, m, _) => AddPermission(m, m.Exchange.MailboxPermissions, p, "User", new JsonObject { ["Deny"] = false })),
            ["Get-RecipientPermission"] = (["Identity", "Trustee"], (p, m, _) => CmdletOutput.Of(Permissions(m.Exchange.RecipientPermissions, RequireMailbox(m, p.Required("Identity")), "Trustee", p.String("Trustee")))),
            ["Remove-RecipientPermission"] = (["Identity", "Trustee", "AccessRights"],
                (p, m, _) => RemovePermission(m, m.Exchange.RecipientPermissions, p, "Trustee", "because the ACE isn't present.")),
            ["Add-RecipientPermission"] = (["Identity", "Trustee", "AccessRights"],
                (p, m, _) => AddPermission(m, m.Exchange.RecipientPermissions, p, "Trustee", new JsonObject { ["AccessControlType"] = "Allow" })),
            ["Get-TransportRule"] = (["Identity", "State"], GetTransportRule),
            ["Disable-TransportRule"] = (["Identity"], (p, m, now) => SetState(RequireByIdentity(m.Exchange.TransportRules, p.Required("Identity")), "Disabled", now)),
            ["Enable-TransportRule"] = (["Identity"], (p, m, now) => SetState(RequireByIdentity(m.Exchange.TransportRules, p.Required("Identity")), "Enabled", now)),
            ["Remove-TransportRule"] = (["Identity"], (p, m, _) => RemoveByIdentity(m.Exchange.TransportRules, p.Required("Identity"))),
            ["New-TransportRule"] = ([.. TransportRuleSettable, "Enabled"], NewTransportRule),
            ["Set-TransportRule"] = (["Identity", .. TransportRuleSettable], (p, m, now) => SetObject(p, RequireByIdentity(m.Exchange.TransportRules, p.Required("Identity")), now)),
            ["Get-MalwareFilterPolicy"] = (["Identity"], (p, m, _) => GetPolicies(m.Exchange.MalwareFilterPolicies, p)),
            ["Set-MalwareFilterPolicy"] = (["Identity", "FileTypes", "EnableFileFilter", "FileTypeAction"],
                (p, m, now) => SetObject(p, RequireByIdentity(m.Exchange.MalwareFilterPolicies, p.Required("Identity")), now)),
            ["Get-TransportConfig"] = ([], (_, m, _) => CmdletOutput.Of([(JsonObject)m.Exchange.TransportConfig.DeepClone()])),
            ["Set-TransportConfig"] = (["SmtpClientAuthenticationDisabled"], (p, m, now) => SetObject(p, m.Exchange.TransportConfig, now)),
            ["Get-TenantAllowBlockListItems"] = (["ListType", "Allow", "Block", "ListSubType", "Entry"], GetAllowBlockItems),
            ["Remove-TenantAllowBlockListItems"] = (["ListType", "Ids", "Entries", "ListSubType"], RemoveAllowBlockItems),
            ["New-TenantAllowBlockListItems"] = (["ListType", "Allow", "Block", "Entries", "NoExpiration", "ExpirationDate", "Notes"], NewAllowBlockItems),
            ["Get-AntiPhishPolicy"] = (["Identity"], (p, m, _) => GetPolicies(m.Exchange.AntiPhishPolicies, p)),
            ["Set-AntiPhishPolicy"] = (["Identity", "EnableSpoofIntelligence", "HonorDmarcPolicy", "ExcludedSenders", "ExcludedDomains"],
                (p, m, now) => SetObject(p, RequireByIdentity(m.Exchange.AntiPhishPolicies, p.Required("Identity")), now)),
            ["Get-HostedOutboundSpamFilterPolicy"] = (["Identity"], (p, m, _) => GetPolicies(m.Exchange.HostedOutboundSpamFilterPolicies, p)),
            ["Set-HostedOutboundSpamFilterPolicy"] = (
                ["Identity", "RecipientLimitExternalPerHour", "RecipientLimitInternalPerHour", "RecipientLimitPerDay", "ActionWhenThresholdReached",
                    "NotifyOutboundSpam", "NotifyOutboundSpamRecipients", "AutoForwardingMode"],
                SetOutboundSpamPolicy),
            // Preset rules carry every recipient condition and exception (PresetPolicyScope says whom they protect); a release of 4.c switches one back off.
            ["Get-EOPProtectionPolicyRule"] = (["Identity", "State"], (p, m, _) => GetPolicies(m.Exchange.EopProtectionPolicyRules, p)),
            ["Set-EOPProtectionPolicyRule"] = (["Identity", .. PresetRuleSettable], (p, m, now) => SetObject(p, RequireByIdentity(m.Exchange.EopProtectionPolicyRules, p.Required("Identity")), now)),
            ["Enable-EOPProtectionPolicyRule"] = (["Identity"], (p, m, now) => SetState(RequireByIdentity(m.Exchange.EopProtectionPolicyRules, p.Required("Identity")), "Enabled", now)),
            ["Disable-EOPProtectionPolicyRule"] = (["Identity"], (p, m, now) => SetState(RequireByIdentity(m.Exchange.EopProtectionPolicyRules, p.Required("Identity")), "Disabled", now)),
            ["Get-ATPProtectionPolicyRule"] = (["Identity", "State"], (p, m, _) => GetPolicies(m.Exchange.AtpProtectionPolicyRules, p)),
            ["Set-ATPProtectionPolicyRule"] = (["Identity", .. PresetRuleSettable], (p, m, now) => SetObject(p, RequireByIdentity(m.Exchange.AtpProtectionPolicyRules, p.Required("Identity")), now)),
            ["Enable-ATPProtectionPolicyRule"] = (["Identity"], (p, m, now) => SetState(RequireByIdentity(m.Exchange.AtpProtectionPolicyRules, p.Required("Identity")), "Enabled", now)),
            ["Disable-ATPProtectionPolicyRule"] = (["Identity"], (p, m, now) => SetState(RequireByIdentity(m.Exchange.AtpProtectionPolicyRules, p.Required("Identity")), "Disabled", now)),
        };

    /// <summary>Every cmdlet simulated, with the parameters it binds (common ones included), for the conformance check.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Accepted =>
        Table.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)[.. kv.Value.Accepted, .. CommonFor(kv.Key)], StringComparer.OrdinalIgnoreCase);

    public static CmdletOutput Run(string cmdlet, JsonObject? parameters, TenantModel model, DateTimeOffset now)
    {
        if (!Table.TryGetValue(cmdlet, out var entry))
        {
            throw ExchangeError.UnknownCmdlet(cmdlet);
        }

        return entry.Run(new CmdletParameters(cmdlet, parameters, [.. entry.Accepted, .. CommonFor(cmdlet)]), model, now);
    }

    // ---- mailboxes

    private static CmdletOutput GetMailbox(CmdletParameters p, TenantModel m, DateTimeOffset now)
    {
        var mailboxes = p.String("Identity") is { } identity ? [RequireMailbox(m, identity)] : m.Exchange.Mailboxes.AsEnumerable();
        var types = p.List("RecipientTypeDetails");
        return CmdletOutput.Of(mailboxes
            .Where(x => types.Count == 0 || types.Contains((string?)x["RecipientTypeDetails"] ?? "", StringComparer.OrdinalIgnoreCase))
            .Select(x => Project(x, MailboxProperties)));
    }

    private static CmdletOutput GetCasMailbox(CmdletParameters p, TenantModel m, DateTimeOffset now)
    {
        var mailboxes = p.String("Identity") is { } identity ? [RequireMailbox(m, identity)] : m.Exchange.Mailboxes.AsEnumerable();
        return CmdletOutput.Of(mailboxes.Select(x => Project(x, CasProperties)));
    }

    internal static JsonObject? FindMailbox(TenantModel m, string identity) =>
        m.Exchange.Mailboxes.FirstOrDefault(x => new[] { "Identity", "Name", "Alias", "UserPrincipalName", "PrimarySmtpAddress", "ExternalDirectoryObjectId" }
            .Any(k => string.Equals((string?)x[k], identity, StringComparison.OrdinalIgnoreCase)));

    private static JsonObject RequireMailbox(TenantModel m, string identity) => FindMailbox(m, identity) ?? throw ExchangeError.NotFound(identity);

    // ---- inbox rules

    private static CmdletOutput GetInboxRule(CmdletParameters p, TenantModel m, DateTimeOffset now)
    {
        var owner = (string)RequireMailbox(m, p.Required("Mailbox"))["UserPrincipalName"]!;
        var includeHidden = p.Switch("IncludeHidden");
        var rules = m.Exchange.InboxRules
            .Where(r => string.Equals((string?)r["MailboxOwnerId"], owner, StringComparison.OrdinalIgnoreCase))
            .Where(r => includeHidden || r["SimHidden"]?.GetValue<bool>() != true)
            .Where(r => p.String("Identity") is not { } id || Matches(r, id))
            .Select(r => Without(r, "SimHidden"))
            .ToList();
        return p.Has("Identity") && rules.Count == 0 ? throw ExchangeError.NotFound(p.Required("Identity")) : CmdletOutput.Of(rules);
    }

    private static CmdletOutput RemoveInboxRule(CmdletParameters p, TenantModel m, DateTimeOffset now)
    {
        var identity = p.Required("Identity");
        var owner = p.String("Mailbox") is { } mailbox ? (string?)RequireMailbox(m, mailbox)["UserPrincipalName"] : null;
        var rule = m.Exchange.InboxRules.FirstOrDefault(r => Matches(r, identity)
            && (owner is null || string.Equals((string?)r["MailboxOwnerId"], owner, StringComparison.OrdinalIgnoreCase)))
            ?? throw ExchangeError.NotFound(identity);
        m.Exchange.InboxRules.Remove(rule);
        return CmdletOutput.Nothing;
    }

    /// <summary>New-InboxRule: a rule is created enabled, after the mailbox's others unless -Priority says otherwise; its identity is "alias\\ruleId".</summary>
    private static CmdletOutput NewInboxRule(CmdletParameters p, TenantModel m, DateTimeOffset now)
    {
        var owner = (string)RequireMailbox(m, p.Required("Mailbox"))["UserPrincipalName"]!;
        var name = p.Required("Name");
        var mine = m.Exchange.InboxRules.Where(r => string.Equals((string?)r["MailboxOwnerId"], owner, StringComparison.OrdinalIgnoreCase)).ToList();
        if (mine.Any(r => string.Equals((string?)r["Name"], name, StringComparison.OrdinalIgnoreCase)))
        {
            throw ExchangeError.Invalid($"An Inbox rule with the name '{name}' already exists.");
        }

        var id = m.Exchange.InboxRules.Select(r => ulong.Parse(r["RuleIdentity"]!.ToString(), CultureInfo.InvariantCulture)).DefaultIfEmpty(1152921504606846976UL).Max() + 1;
        var rule = new JsonObject
        {
            ["MailboxOwnerId"] = owner,
            ["RuleIdentity"] = id.ToString(CultureInfo.InvariantCulture),
            ["Identity"] = $"{owner.Split('@')[0]}\\{id}",
            ["Name"] = name,
            ["Enabled"] = true,
            ["Priority"] = mine.Count + 1,
        };
        foreach (var parameter in InboxRuleSettable.Where(n => n != "Name" && p.Has(n)))
        {
            rule[parameter] = p.Raw(parameter)?.DeepClone();
        }

        m.Exchange.InboxRules.Add(rule);
        return CmdletOutput.Of([(JsonObject)rule.DeepClone()]);
    }

    private static bool Matches(JsonObject rule, string identity) =>
        new[] { "Identity", "RuleIdentity", "Name" }.Any(k => string.Equals(rule[k]?.ToString(), identity, StringComparison.OrdinalIgnoreCase));

    // ---- permissions

    private static IEnumerable<JsonObject> Permissions(List<JsonObject> all, JsonObject mailbox, string principalField, string? principal) =>
        all.Where(e => string.Equals((string?)e["Identity"], (string?)mailbox["UserPrincipalName"], StringComparison.OrdinalIgnoreCase))
            .Where(e => principal is null || string.Equals((string?)e[principalField], principal, StringComparison.OrdinalIgnoreCase))
            .Select(e => (JsonObject)e.DeepClone());

    private static CmdletOutput RemovePermission(TenantModel m, List<JsonObject> all, CmdletParameters p, string principalField, string absentWarning)
    {
        var mailbox = RequireMailbox(m, p.Required("Identity"));
        var principal = p.Required(principalField);
        var rights = p.List("AccessRights");
        var changed = false;
        foreach (var entry in Permissions(all, mailbox, principalField, principal).ToList())
        {
            var original = all.First(e => JsonNode.DeepEquals(e, entry));
            if (original["IsInherited"]?.GetValue<bool>() == true)
            {
                continue;
            }

            var held = ((JsonArray?)original["AccessRights"] ?? []).Select(r => r!.GetValue<string>()).ToList();
            var left = held.Where(r => !rights.Contains(r, StringComparer.OrdinalIgnoreCase)).ToList();
            if (left.Count == held.Count)
            {
                continue;
            }

            changed = true;
            if (left.Count == 0)
            {
                all.Remove(original);
            }
            else
            {
                original["AccessRights"] = new JsonArray([.. left.Select(r => JsonValue.Create(r))]);
            }
        }

        return changed
            ? CmdletOutput.Nothing
            : CmdletOutput.Warning($"Can't remove the access control entry on the object \"{mailbox["Identity"]}\" for account \"{principal}\" {absentWarning}");
    }

    /// <summary>
    /// Add-MailboxPermission / Add-RecipientPermission: grants the rights (merged into the trustee's explicit entry).
    /// Granting what is already held changes nothing (a warning, as the service answers).
    /// </summary>
    private static CmdletOutput AddPermission(TenantModel m, List<JsonObject> all, CmdletParameters p, string principalField, JsonObject extra)
    {
        var mailbox = RequireMailbox(m, p.Required("Identity"));
        var principal = p.Required(principalField);
        var rights = p.List("AccessRights");
        var entry = all.FirstOrDefault(e => string.Equals((string?)e["Identity"], (string?)mailbox["UserPrincipalName"], StringComparison.OrdinalIgnoreCase)
            && string.Equals((string?)e[principalField], principal, StringComparison.OrdinalIgnoreCase) && e["IsInherited"]?.GetValue<bool>() != true);
        if (entry is null)
        {
            entry = new JsonObject { ["Identity"] = (string?)mailbox["UserPrincipalName"], [principalField] = principal, ["AccessRights"] = new JsonArray(), ["IsInherited"] = false };
            foreach (var (key, value) in extra)
            {
                entry[key] = value?.DeepClone();
            }

            all.Add(entry);
        }

        var held = ((JsonArray)entry["AccessRights"]!).Select(r => r!.GetValue<string>()).ToList();
        var missing = rights.Where(r => !held.Contains(r, StringComparer.OrdinalIgnoreCase)).ToList();
        if (missing.Count == 0)
        {
            return CmdletOutput.Warning(NoChange(mailbox));
        }

        entry["AccessRights"] = new JsonArray([.. held.Concat(missing).Select(r => JsonValue.Create(r))]);
        return CmdletOutput.Of([(JsonObject)entry.DeepClone()]);
    }

    // ---- transport rules and policies

    private static CmdletOutput GetTransportRule(CmdletParameters p, TenantModel m, DateTimeOffset now)
    {
        var rules = p.String("Identity") is { } id ? [RequireByIdentity(m.Exchange.TransportRules, id)] : m.Exchange.TransportRules.AsEnumerable();
        return CmdletOutput.Of(rules.Where(r => p.String("State") is not { } state || string.Equals((string?)r["State"], state, StringComparison.OrdinalIgnoreCase))
            .OrderBy(r => r["Priority"]?.GetValue<int>() ?? 0).Select(r => (JsonObject)r.DeepClone()));
    }

    private static CmdletOutput NewTransportRule(CmdletParameters p, TenantModel m, DateTimeOffset now)
    {
        var name = p.Required("Name");
        if (FindByIdentity(m.Exchange.TransportRules, name) is not null)
        {
            throw ExchangeError.Invalid($"A transport rule with the name '{name}' already exists.");
        }

        var rule = new JsonObject
        {
            ["Identity"] = name,
            ["Name"] = name,
            ["Guid"] = Guid.NewGuid().ToString(),
            ["State"] = p.Has("Enabled") && !p.Switch("Enabled") ? "Disabled" : "Enabled",
            ["Mode"] = p.String("Mode") ?? "Enforce",
            ["Priority"] = m.Exchange.TransportRules.Count,
            ["WhenChanged"] = now.ToString("o"),
        };
        foreach (var parameter in TransportRuleSettable.Where(p.Has))
        {
            rule[parameter] = p.Raw(parameter)?.DeepClone();
        }

        m.Exchange.TransportRules.Add(rule);
        return CmdletOutput.Of([(JsonObject)rule.DeepClone()]);
    }

    private static CmdletOutput GetPolicies(List<JsonObject> policies, CmdletParameters p) =>
        CmdletOutput.Of((p.String("Identity") is { } id ? [RequireByIdentity(policies, id)] : policies.AsEnumerable())
            .Where(r => p.String("State") is not { } state || string.Equals((string?)r["State"], state, StringComparison.OrdinalIgnoreCase))
            .Select(x => (JsonObject)x.DeepClone()));

    private static CmdletOutput SetOutboundSpamPolicy(CmdletParameters p, TenantModel m, DateTimeOffset now)
    {
        foreach (var limit in new[] { "RecipientLimitExternalPerHour", "RecipientLimitInternalPerHour", "RecipientLimitPerDay" }.Where(p.Has))
        {
            if (p.Raw(limit) is not JsonValue v || !v.TryGetValue<int>(out var value) || value is < 0 or > 10000)
            {
                throw ExchangeError.Invalid($"{limit} must be an integer from 0 to 10000.");
            }
        }

        return SetObject(p, RequireByIdentity(m.Exchange.HostedOutboundSpamFilterPolicies, p.Required("Identity")), now);
    }

    // ---- tenant allow/block list

    private static CmdletOutput GetAllowBlockItems(CmdletParameters p, TenantModel m, DateTimeOffset now)
    {
        var listType = p.Required("ListType");
        return CmdletOutput.Of(m.Exchange.TenantAllowBlockListItems
            .Where(i => string.Equals((string?)i["ListType"], listType, StringComparison.OrdinalIgnoreCase))
            .Where(i => !p.Switch("Allow") || (string?)i["Action"] == "Allow")
            .Where(i => !p.Switch("Block") || (string?)i["Action"] == "Block")
            .Select(i => Without(i, "ListType")));
    }

    private static CmdletOutput RemoveAllowBlockItems(CmdletParameters p, TenantModel m, DateTimeOffset now)
    {
        var listType = p.Required("ListType");
        if (p.Has("Ids") == p.Has("Entries"))
        {
            throw ExchangeError.ParameterBinding(p.Cmdlet, "Parameter set cannot be resolved: give either Ids or Entries.");
        }

        var keys = p.Has("Ids") ? p.List("Ids") : p.List("Entries");
        var field = p.Has("Ids") ? "Identity" : "Value";
        var items = m.Exchange.TenantAllowBlockListItems
            .Where(i => string.Equals((string?)i["ListType"], listType, StringComparison.OrdinalIgnoreCase) && keys.Contains((string?)i[field] ?? "", StringComparer.OrdinalIgnoreCase))
            .ToList();
        if (items.Count < keys.Count)
        {
            throw ExchangeError.NotFound(string.Join(", ", keys.Except(items.Select(i => (string)i[field]!), StringComparer.OrdinalIgnoreCase)));
        }

        m.Exchange.TenantAllowBlockListItems.RemoveAll(items.Contains);
        return CmdletOutput.Nothing;
    }

    private static CmdletOutput NewAllowBlockItems(CmdletParameters p, TenantModel m, DateTimeOffset now)
    {
        var listType = p.Required("ListType");
        if (p.Switch("Allow") == p.Switch("Block"))
        {
            throw ExchangeError.ParameterBinding(p.Cmdlet, "Parameter set cannot be resolved: give either -Allow or -Block.");
        }

        var action = p.Switch("Block") ? "Block" : "Allow";
        var created = new List<JsonObject>();
        foreach (var entry in p.List("Entries"))
        {
            var existing = m.Exchange.TenantAllowBlockListItems.FirstOrDefault(i =>
                string.Equals((string?)i["ListType"], listType, StringComparison.OrdinalIgnoreCase) && string.Equals((string?)i["Value"], entry, StringComparison.OrdinalIgnoreCase));
            if (existing is not null)
            {
                throw ExchangeError.Invalid($"Entry '{entry}' already exists in the {existing["Action"]} list of type {listType}.");
            }

            var item = new JsonObject
            {
                ["ListType"] = listType,
                ["Identity"] = Guid.NewGuid().ToString(),
                ["Value"] = entry,
                ["Action"] = action,
                ["Notes"] = p.String("Notes"),
                ["LastModifiedDateTime"] = now.ToString("o"),
                ["ExpirationDate"] = p.Switch("NoExpiration") ? null : p.String("ExpirationDate") ?? now.AddDays(30).ToString("o"),
            };
            m.Exchange.TenantAllowBlockListItems.Add(item);
            created.Add(Without(item, "ListType"));
        }

        return CmdletOutput.Of(created);
    }

    // ---- shared helpers

    private static JsonObject? FindByIdentity(List<JsonObject> all, string identity) =>
        all.FirstOrDefault(x => new[] { "Identity", "Name", "Guid" }.Any(k => string.Equals((string?)x[k], identity, StringComparison.OrdinalIgnoreCase)));

    private static JsonObject RequireByIdentity(List<JsonObject> all, string identity) => FindByIdentity(all, identity) ?? throw ExchangeError.NotFound(identity);

    private static CmdletOutput RemoveByIdentity(List<JsonObject> all, string identity)
    {
        all.Remove(RequireByIdentity(all, identity));
        return CmdletOutput.Nothing;
    }

    private static CmdletOutput SetState(JsonObject target, string state, DateTimeOffset now)
    {
        if ((string?)target["State"] == state)
        {
            return CmdletOutput.Warning(NoChange(target));
        }

        target["State"] = state;
        target["WhenChanged"] = now.ToString("o");
        return CmdletOutput.Nothing;
    }

    /// <summary>Merges every parameter but Identity into the object: plain values replace, GenericHashTables add/remove list items.</summary>
    private static CmdletOutput SetObject(CmdletParameters p, JsonObject target, DateTimeOffset now)
    {
        var changed = false;
        foreach (var name in p.Names.Where(n => !string.Equals(n, "Identity", StringComparison.OrdinalIgnoreCase) && !Common.Contains(n, StringComparer.OrdinalIgnoreCase)))
        {
            var property = target.Select(kv => kv.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) ?? name;
            var before = target[property]?.DeepClone();
            var after = p.Raw(name) is JsonObject table ? ApplyHashTable(before as JsonArray, table) : p.Raw(name)?.DeepClone();
            if (!JsonNode.DeepEquals(before, after))
            {
                target[property] = after;
                changed = true;
            }
        }

        if (!changed)
        {
            return CmdletOutput.Warning(NoChange(target));
        }

        if (target.ContainsKey("WhenChanged"))
        {
            target["WhenChanged"] = now.ToString("o");
        }

        return CmdletOutput.Nothing;
    }

    private static JsonArray ApplyHashTable(JsonArray? current, JsonObject table)
    {
        var items = (current ?? []).Select(n => n!.GetValue<string>()).ToList();
        foreach (var (key, value) in table)
        {
            var values = value switch
            {
                JsonArray array => array.Select(n => n!.GetValue<string>()).ToList(),
                JsonValue one => [one.GetValue<string>()],
                _ => [],
            };
            if (string.Equals(key, "Add", StringComparison.OrdinalIgnoreCase))
            {
                items.AddRange(values.Where(v => !items.Contains(v, StringComparer.OrdinalIgnoreCase)));
            }
            else if (string.Equals(key, "Remove", StringComparison.OrdinalIgnoreCase))
            {
                items.RemoveAll(i => values.Contains(i, StringComparer.OrdinalIgnoreCase));
            }
        }

        return new JsonArray([.. items.Select(i => JsonValue.Create(i))]);
    }

    private static string NoChange(JsonObject target) =>
        $"The command completed successfully but no settings of '{target["Identity"]}' have been modified.";

    private static JsonObject Project(JsonObject source, IEnumerable<string> properties)
    {
        var result = new JsonObject();
        foreach (var property in properties)
        {
            result[property] = source[property]?.DeepClone();
        }

        return result;
    }

    private static JsonObject Without(JsonObject source, string property)
    {
        var copy = (JsonObject)source.DeepClone();
        copy.Remove(property);
        return copy;
    }
}
