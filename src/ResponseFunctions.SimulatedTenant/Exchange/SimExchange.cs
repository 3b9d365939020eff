using System.Text.Json.Nodes;

namespace ResponseFunctions.SimulatedTenant;

/// <summary>
/// The tenant's Exchange Online side. Objects are kept in the shape the cmdlets output (PascalCase property names, the
/// same values as Get-* returns), so a Set-* merges parameters property by property and a scenario reads like a
/// PowerShell export. Mailboxes carry both their Get-Mailbox and Get-CASMailbox properties.
/// </summary>
public sealed class SimExchange
{
    /// <summary>Largest page InvokeCommand returns, whatever the client prefers (the service's own is 1000); small to exercise paging.</summary>
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>The next N calls are refused with the plain-text "maximum number of concurrent requests" message (status 500).</summary>
    public int ConcurrencyRejections { get; set; }

    public List<string> AcceptedDomains { get; set; } = [];

    /// <summary>Get-Mailbox and Get-CASMailbox properties; ExternalDirectoryObjectId links to the Entra user.</summary>
    public List<JsonObject> Mailboxes { get; set; } = [];

    /// <summary>Get-InboxRule objects; MailboxOwnerId is the owner's UPN; SimHidden marks rules only -IncludeHidden lists (never output).</summary>
    public List<JsonObject> InboxRules { get; set; } = [];

    /// <summary>Get-MailboxPermission objects: Identity (mailbox UPN), User, AccessRights, IsInherited, Deny.</summary>
    public List<JsonObject> MailboxPermissions { get; set; } = [];

    /// <summary>Get-RecipientPermission objects: Identity (mailbox UPN), Trustee, AccessRights, AccessControlType, IsInherited.</summary>
    public List<JsonObject> RecipientPermissions { get; set; } = [];

    public List<JsonObject> TransportRules { get; set; } = [];
    public List<JsonObject> MalwareFilterPolicies { get; set; } = [];

    /// <summary>Get-TenantAllowBlockListItems objects plus ListType (the real items do not carry it).</summary>
    public List<JsonObject> TenantAllowBlockListItems { get; set; } = [];

    public List<JsonObject> AntiPhishPolicies { get; set; } = [];
    public List<JsonObject> HostedOutboundSpamFilterPolicies { get; set; } = [];
    public List<JsonObject> EopProtectionPolicyRules { get; set; } = [];

    /// <summary>The Defender for Office 365 half of the presets; empty without that licence (Get-ATPProtectionPolicyRule finds nothing).</summary>
    public List<JsonObject> AtpProtectionPolicyRules { get; set; } = [];

    /// <summary>Whether the Strict preset (both its EOP and, when present, its ATP rule) protects this address.</summary>
    public bool StrictPresetProtects(string address) =>
        new[] { EopProtectionPolicyRules, AtpProtectionPolicyRules }
            .Select(rules => rules.FirstOrDefault(r => ((string?)r["Identity"])?.StartsWith("Strict Preset", StringComparison.OrdinalIgnoreCase) == true))
            .Where(rule => rule is not null)
            .DefaultIfEmpty()
            .All(rule => rule is not null && Exchange.PresetPolicyScope.Protects(rule, address, GroupsOf));

    private IReadOnlyCollection<string> GroupsOf(string address) =>
        Mailboxes.FirstOrDefault(x => string.Equals((string?)x["PrimarySmtpAddress"], address, StringComparison.OrdinalIgnoreCase) || string.Equals((string?)x["UserPrincipalName"], address, StringComparison.OrdinalIgnoreCase))
            ?["SimMemberOf"] is JsonArray groups ? [.. groups.Select(g => (string?)g ?? "")] : [];
    public JsonObject TransportConfig { get; set; } = new() { ["Identity"] = "Transport Settings", ["SmtpClientAuthenticationDisabled"] = false };
}
