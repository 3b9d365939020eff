using System.Text.Json;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.MailDataLeak;

/// <summary>
/// What 5.e reads: the default malware filter policy's file filter, and the incident's attachment rule (null
/// extensions when it does not exist). The journaled shape release reads back.
/// </summary>
public sealed record AttachmentBlocking(string PolicyIdentity, bool FileFilterEnabled, IReadOnlyList<string> FileTypes, IReadOnlyList<string>? RuleExtensions, bool RuleEnabled)
{
    public static async Task<AttachmentBlocking> ReadAsync(IExchangeOnline exchange, MailContainment settings, CancellationToken cancellationToken)
    {
        var policies = await exchange.InvokeAsync(ExchangeCommand.For("Get-MalwareFilterPolicy"), cancellationToken);
        var policy = policies.Cast<JsonElement?>().FirstOrDefault(p => Mail.Bool(p!.Value, "IsDefault") == true)
                     ?? policies.Cast<JsonElement?>().FirstOrDefault(p => Mail.Str(p!.Value, "Identity") == "Default")
                     ?? throw new ExchangeCommandException("Get-MalwareFilterPolicy", null, "NoDefaultPolicy", "ObjectNotFound", "The tenant has no default malware filter policy.", false);
        JsonElement? rule = null;
        if (settings.IncidentAttachmentExtensions.Count > 0)
        {
            rule = (await exchange.InvokeAsync(ExchangeCommand.For("Get-TransportRule"), cancellationToken)).Cast<JsonElement?>()
                .FirstOrDefault(r => string.Equals(Mail.Str(r!.Value, "Name"), settings.AttachmentRuleName, StringComparison.OrdinalIgnoreCase));
        }

        return new AttachmentBlocking(
            Mail.Str(policy, "Identity") ?? "Default",
            Mail.Bool(policy, "EnableFileFilter") == true,
            Mail.Strings(policy, "FileTypes"),
            rule is null ? null : Mail.Strings(rule.Value, "AttachmentExtensionMatchesWords"),
            rule is not null && string.Equals(Mail.Str(rule.Value, "State"), "Enabled", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The wanted extensions not present yet (compared without dot, in lower case).</summary>
    public static List<string> Missing(IEnumerable<string> wanted, IEnumerable<string> present) =>
        [.. wanted.Select(e => e.TrimStart('.').ToLowerInvariant()).Distinct().Except(present.Select(e => e.TrimStart('.').ToLowerInvariant()))];
}

/// <summary>The incident's attachment rule: created rejecting the incident's extensions, else extended with the missing ones and enabled.</summary>
internal static class AttachmentRule
{
    private const string RejectReason = "Attachments of this type are blocked for security reasons (incident containment).";

    public static async Task<ChangeOutcome> EnsureAsync(IExchangeOnline exchange, MailContainment settings, AttachmentBlocking current, CancellationToken cancellationToken)
    {
        if (current.RuleExtensions is null)
        {
            await exchange.InvokeAsync(ExchangeCommand.For("New-TransportRule").With("Name", settings.AttachmentRuleName)
                .With("AttachmentExtensionMatchesWords", settings.IncidentAttachmentExtensions).With("RejectMessageReasonText", RejectReason)
                .With("RejectMessageEnhancedStatusCode", "5.7.1").With("Enabled", true), cancellationToken);
            return ChangeOutcome.Done;
        }

        var missing = AttachmentBlocking.Missing(settings.IncidentAttachmentExtensions, current.RuleExtensions);
        var outcome = ChangeOutcome.AlreadyDone;
        if (missing.Count > 0)
        {
            outcome = Mail.OutcomeOf(await exchange.InvokeAsync(ExchangeCommand.For("Set-TransportRule").With("Identity", settings.AttachmentRuleName)
                .With("AttachmentExtensionMatchesWords", [.. current.RuleExtensions, .. missing]), cancellationToken));
        }

        if (!current.RuleEnabled)
        {
            await exchange.InvokeAsync(ExchangeCommand.For("Enable-TransportRule").With("Identity", settings.AttachmentRuleName), cancellationToken);
            outcome = ChangeOutcome.Done;
        }

        return outcome;
    }
}
