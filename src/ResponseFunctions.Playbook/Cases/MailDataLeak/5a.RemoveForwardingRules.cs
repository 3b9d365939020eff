using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.MailDataLeak;

/// <summary>
/// 5.a — Remove the mailbox's illegitimate inbox rules (forward, redirect or forward-as-attachment outside the
/// organisation, delete, move to an obscure folder), hidden ones included, and its mailbox-level forwarding. Each rule
/// is exported whole into the plan's before-state, so it can be recreated. System rules (junk mail, out of office,
/// delegates) are never touched.
/// </summary>
/// <remarks>Exchange: Get-InboxRule -IncludeHidden, Remove-InboxRule (hidden rules), Get-/Set-Mailbox (forwarding).
/// Graph: GET/DELETE /users/{id}/mailFolders/inbox/messageRules for the rules Graph sees (MailboxSettings.ReadWrite).</remarks>
public sealed class RemoveForwardingRules(IExchangeOnline exchange, GraphServiceClient graph, TenantGuard guard, IOptions<ContainmentPolicy> policy) : IContainmentAction
{
    private const string RemoveRule = "remove-inbox-rule";
    private const string ClearForwarding = "clear-mailbox-forwarding";

    // Rules Exchange itself keeps in every mailbox (CIPP Remove-CIPPMailboxRule.ps1 skips the same).
    private static readonly string[] SystemRulePrefixes = ["Junk E-Mail Rule", "Microsoft.Exchange.OOF.", "Delegate Rule"];

    public ActionId Id { get; } = ActionId.Parse("5.a");

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var verdict = guard.CheckPrincipal(step.Target);
        if (!verdict.Allowed)
        {
            return Plans.Refused(step, verdict);
        }

        var accepted = await Mail.AcceptedDomainsAsync(exchange, cancellationToken);
        var state = await ReadAsync(step.Target, cancellationToken);
        var evidence = new List<Evidence>();
        var changes = new List<PlannedChange>();
        foreach (var rule in state.Rules.Where(r => !IsSystemRule(r.Name)))
        {
            var reasons = Suspicions(rule.Raw, accepted);
            var visibility = rule.GraphId is null ? "hidden from Graph/Outlook" : "visible";
            evidence.Add(new Evidence($"Inbox rule \"{rule.Name}\"", $"{visibility}; {(reasons.Count == 0 ? "legitimate: kept" : string.Join("; ", reasons))}"));
            if (reasons.Count > 0)
            {
                changes.Add(new UntypedChange(RemoveRule, rule.Identity,
                    $"Remove the inbox rule \"{rule.Name}\" of {step.Target.Name} ({string.Join("; ", reasons)})",
                    Mail.Params(("name", rule.Name), ("graphId", rule.GraphId ?? string.Empty))));
            }
        }

        if (state.Forwarding.IsSet)
        {
            evidence.Add(new Evidence("Mailbox forwarding", state.Forwarding.Describe()));
            changes.Add(new UntypedChange(ClearForwarding, step.Target.Name, $"Clear the mailbox forwarding of {step.Target.Name} ({state.Forwarding.Describe()})"));
        }

        var warnings = state.GraphUnreadable is { } reason ? [$"Graph rules not readable ({reason}): every rule goes through Exchange."] : new List<string>();
        return changes.Count == 0
            ? Plans.NothingToDo(step, $"No illegitimate inbox rule or forwarding on {step.Target.Name}.", evidence, state.Snapshot(), warnings)
            : Plans.Change(step, $"Remove {changes.Count(c => c.Kind == RemoveRule)} inbox rule(s){(state.Forwarding.IsSet ? " and the mailbox forwarding" : string.Empty)} of {step.Target.Name}.",
                evidence, changes, warnings, state.Snapshot());
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var verdict = guard.CheckPrincipal(step.Target);
        if (!verdict.Allowed)
        {
            return Results.Refused(step, verdict);
        }

        var before = await ReadAsync(step.Target, cancellationToken);
        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes)
        {
            results.Add(await Results.RunChangeAsync(change, () => change.Kind switch
            {
                RemoveRule => RemoveRuleAsync(step.Target, before, change, cancellationToken),
                ClearForwarding => ClearForwardingAsync(step.Target, before, cancellationToken),
                _ => throw new InvalidOperationException($"5.a cannot apply '{change.Kind}'."),
            }));
        }

        var after = await ReadAsync(step.Target, cancellationToken);
        return Results.From(step, results, $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} change(s) made; {after.Rules.Count} rule(s) left on {step.Target.Name}.",
            before.Snapshot(), after.Snapshot(), plan.Warnings);
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(step.Target, cancellationToken);
        var left = plan.Changes.Where(c => c.Kind == RemoveRule && current.Rules.Any(r => r.Identity == c.ResourceId)).Select(c => c.Parameter("name")).ToList();
        if (plan.Changes.Any(c => c.Kind == ClearForwarding) && current.Forwarding.IsSet)
        {
            left.Add("mailbox forwarding " + current.Forwarding.Describe());
        }

        return left.Count == 0
            ? Results.Verified(step, "No removed rule is back and the mailbox does not forward.")
            : Results.Mismatch(step, $"Still present: {string.Join(", ", left)}.");
    }

    private async Task<ChangeOutcome> RemoveRuleAsync(ActionTarget mailbox, MailboxRules current, PlannedChange change, CancellationToken cancellationToken)
    {
        if (current.Rules.All(r => r.Identity != change.ResourceId))
        {
            return ChangeOutcome.AlreadyDone;
        }

        var graphId = change.Parameter("graphId");
        if (graphId.Length > 0 && current.Rules.Any(r => r.GraphId == graphId))
        {
            await graph.Users[mailbox.Id].MailFolders["inbox"].MessageRules[graphId].DeleteAsync(cancellationToken: cancellationToken);
            return ChangeOutcome.Done;
        }

        await exchange.InvokeAsync(ExchangeCommand.For("Remove-InboxRule").AnchoredTo(mailbox.Name)
            .With("Mailbox", mailbox.Name).With("Identity", change.ResourceId).Switch("AlwaysDeleteOutlookRulesBlob").With("Confirm", false), cancellationToken);
        return ChangeOutcome.Done;
    }

    private async Task<ChangeOutcome> ClearForwardingAsync(ActionTarget mailbox, MailboxRules current, CancellationToken cancellationToken)
    {
        if (!current.Forwarding.IsSet)
        {
            return ChangeOutcome.AlreadyDone;
        }

        return Mail.OutcomeOf(await exchange.InvokeAsync(ExchangeCommand.For("Set-Mailbox").AnchoredTo(mailbox.Name)
            .With("Identity", mailbox.Name).With("ForwardingSmtpAddress", (string?)null).With("ForwardingAddress", (string?)null)
            .With("DeliverToMailboxAndForward", false), cancellationToken));
    }

    /// <summary>Why a rule is the attacker's; empty when it looks legitimate.</summary>
    private List<string> Suspicions(JsonElement rule, IReadOnlySet<string> accepted)
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
            if (policy.Value.Mail.ObscureFolders.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                reasons.Add($"moves mail to \"{name}\"");
            }
        }

        return reasons;
    }

    private static bool IsSystemRule(string name) => SystemRulePrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    private async Task<MailboxRules> ReadAsync(ActionTarget mailbox, CancellationToken cancellationToken)
    {
        var rules = await exchange.InvokeAsync(ExchangeCommand.For("Get-InboxRule").AnchoredTo(mailbox.Name).With("Mailbox", mailbox.Name).Switch("IncludeHidden"), cancellationToken);
        var box = (await exchange.InvokeAsync(ExchangeCommand.For("Get-Mailbox").AnchoredTo(mailbox.Name).With("Identity", mailbox.Name)
            .Selecting("Identity", "UserPrincipalName", "ForwardingSmtpAddress", "ForwardingAddress", "DeliverToMailboxAndForward"), cancellationToken)).Single();

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
        var list = rules.Select(r =>
        {
            var name = Mail.Str(r, "Name") ?? string.Empty;
            var unique = names.Count(n => n == name) == 1;
            return new InboxRule(Mail.Str(r, "Identity") ?? Mail.Str(r, "RuleIdentity") ?? name, name, unique ? graphIds.GetValueOrDefault(name) : null, r);
        }).ToList();
        var forwarding = new Forwarding(Mail.Str(box, "ForwardingSmtpAddress"), Mail.Str(box, "ForwardingAddress"), Mail.Bool(box, "DeliverToMailboxAndForward") ?? false);
        return new MailboxRules(list, forwarding, unreadable);
    }

    private sealed record InboxRule(string Identity, string Name, string? GraphId, JsonElement Raw);

    private sealed record Forwarding(string? SmtpAddress, string? Address, bool DeliverAndForward)
    {
        public bool IsSet => !string.IsNullOrEmpty(SmtpAddress) || !string.IsNullOrEmpty(Address);

        public string Describe() => $"ForwardingSmtpAddress={SmtpAddress ?? "none"}, ForwardingAddress={Address ?? "none"}, DeliverToMailboxAndForward={DeliverAndForward}";
    }

    private sealed record MailboxRules(IReadOnlyList<InboxRule> Rules, Forwarding Forwarding, string? GraphUnreadable)
    {
        /// <summary>Every rule with all its properties as Get-InboxRule returned them: enough to recreate it.</summary>
        public JsonElement Snapshot() => Actions.Snapshot.Of(new
        {
            forwarding = new { Forwarding.SmtpAddress, Forwarding.Address, Forwarding.DeliverAndForward },
            rules = Rules.Select(r => new { r.Identity, hiddenFromGraph = r.GraphId is null, properties = r.Raw }),
        });
    }
}
