using System.Text.Json;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Graph;

namespace ResponseFunctions.Playbook.Cases.MailDataLeak;

/// <summary>One inbox rule as Exchange lists it; <see cref="GraphId"/> is null when Graph (and Outlook) cannot see it.</summary>
public sealed record InboxRule(string Identity, string Name, string? GraphId, JsonElement Raw);

/// <summary>
/// A mailbox's inbox rules, hidden ones included: read through Exchange (Get-InboxRule -IncludeHidden) and matched to
/// the rules Graph sees, judged, and removed through Graph when Graph sees the rule, through Exchange otherwise.
/// </summary>
internal static class InboxRules
{
    // Rules Exchange itself keeps in every mailbox (CIPP Remove-CIPPMailboxRule.ps1 skips the same).
    private static readonly string[] SystemRulePrefixes = ["Junk E-Mail Rule", "Microsoft.Exchange.OOF.", "Delegate Rule"];

    public static bool IsSystemRule(string name) => SystemRulePrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>The rules, and why Graph could not be read (its rules then all look hidden and go through Exchange).</summary>
    public static async Task<(IReadOnlyList<InboxRule> Rules, string? GraphUnreadable)> ReadAsync(
        IExchangeOnline exchange, GraphServiceClient graph, ActionTarget mailbox, CancellationToken cancellationToken)
    {
        var rules = await exchange.InvokeAsync(ExchangeCommand.For("Get-InboxRule").AnchoredTo(mailbox.Name).With("Mailbox", mailbox.Name).Switch("IncludeHidden"), cancellationToken);

        // Graph sees the rules Outlook sees; a rule it does not list is hidden. Matched by name, only when unambiguous.
        Dictionary<string, string> graphIds = new(StringComparer.Ordinal);
        string? unreadable = null;
        try
        {
            var page = await graph.Users[mailbox.Id].MailFolders["inbox"].MessageRules.GetAsync(cancellationToken: cancellationToken);
            graphIds = (page?.Value ?? []).Where(r => r.DisplayName is not null && r.Id is not null).GroupBy(r => r.DisplayName!)
                .Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single().Id!, StringComparer.Ordinal);
        }
        catch (ODataError error) when (!GraphErrors.IsTransient(error))
        {
            unreadable = GraphErrors.ToErrorInfo(error).Code;
        }

        var names = rules.Select(r => Mail.Str(r, "Name") ?? string.Empty).ToList();
        return ([.. rules.Select(r =>
        {
            var name = Mail.Str(r, "Name") ?? string.Empty;
            var unique = names.Count(n => n == name) == 1;
            return new InboxRule(Mail.Str(r, "Identity") ?? Mail.Str(r, "RuleIdentity") ?? name, name, unique ? graphIds.GetValueOrDefault(name) : null, r);
        })], unreadable);
    }

    /// <summary>Why a rule is the attacker's; empty when it looks legitimate.</summary>
    public static List<string> Suspicions(JsonElement rule, IReadOnlySet<string> accepted, IReadOnlyCollection<string> obscureFolders)
    {
        var reasons = new List<string>();
        foreach (var property in new[] { "ForwardTo", "ForwardAsAttachmentTo", "RedirectTo" })
        {
            var external = Mail.Strings(rule, property).Select(Mail.AddressOf).Where(a => Mail.IsExternal(a, accepted)).ToList();
            if (external.Count > 0)
            {
                reasons.Add($"{property} external {string.Join(", ", external)}");
            }
        }

        if (Mail.Bool(rule, "DeleteMessage") == true || Mail.Bool(rule, "SoftDeleteMessage") == true)
        {
            reasons.Add("deletes messages");
        }

        if (Mail.Str(rule, "MoveToFolder") is { Length: > 0 } folder)
        {
            var name = folder[(folder.LastIndexOfAny(['\\', '/', ':']) + 1)..].Trim();
            if (obscureFolders.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                reasons.Add($"moves mail to \"{name}\"");
            }
        }

        return reasons;
    }

    /// <summary>Through Graph when Graph still lists the rule by the id the plan saw, else through Exchange (hidden rules).</summary>
    public static async Task RemoveAsync(IExchangeOnline exchange, GraphServiceClient graph, ActionTarget mailbox, IReadOnlyList<InboxRule> current,
        RemoveInboxRule change, CancellationToken cancellationToken)
    {
        if (change.GraphId is { Length: > 0 } graphId && current.Any(r => r.GraphId == graphId))
        {
            await graph.Users[mailbox.Id].MailFolders["inbox"].MessageRules[graphId].DeleteAsync(cancellationToken: cancellationToken);
            return;
        }

        await exchange.InvokeAsync(ExchangeCommand.For("Remove-InboxRule").AnchoredTo(mailbox.Name)
            .With("Mailbox", mailbox.Name).With("Identity", change.ResourceId).Switch("AlwaysDeleteOutlookRulesBlob").With("Confirm", false), cancellationToken);
    }
}
