using Microsoft.Extensions.Options;
using Microsoft.Graph;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.MailDataLeak;

/// <summary>One illegitimate inbox rule removed; <see cref="GraphId"/> when Graph sees it (then removed through Graph).</summary>
/// <param name="GraphId">Null for a rule hidden from Graph (the journal leaves it out, as it leaves out every null).</param>
public sealed record RemoveInboxRule(string ResourceId, string Description, string Name, string? GraphId) : PlannedChange(ResourceId, Description);

/// <summary>The mailbox-level forwarding cleared (both addresses, and deliver-and-forward off).</summary>
public sealed record ClearMailboxForwarding(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>What 5.a reads of one mailbox: its inbox rules, its forwarding, and why Graph could not be read (if so).</summary>
public sealed record MailboxRules(IReadOnlyList<InboxRule> Rules, MailboxForwarding Forwarding, string? GraphUnreadable);

/// <summary>
/// 5.a — Remove the mailbox's illegitimate inbox rules (forward, redirect or forward-as-attachment outside the
/// organisation, delete, move to an obscure folder), hidden ones included, and its mailbox-level forwarding. Each rule
/// is exported whole into the plan's before-state, so it can be recreated. System rules (junk mail, out of office,
/// delegates) are never touched.
/// </summary>
/// <remarks>Exchange: Get-InboxRule -IncludeHidden, Remove-InboxRule (hidden rules), Get-/Set-Mailbox (forwarding).
/// Graph: GET/DELETE /users/{id}/mailFolders/inbox/messageRules for the rules Graph sees. Permissions: the catalog row.</remarks>
public sealed class RemoveForwardingRules(IExchangeOnline exchange, GraphServiceClient graph, IOptions<ContainmentPolicy> policy, ChangeRunner runner)
    : ContainmentAction<MailboxRules>(runner)
{
    public override ActionId Id { get; } = ActionId.Parse("5.a");

    protected internal override async Task<MailboxRules> ReadAsync(StepContext step, CancellationToken cancellationToken)
    {
        var (rules, unreadable) = await InboxRules.ReadAsync(exchange, graph, step.Target, cancellationToken);
        return new MailboxRules(rules, await MailboxForwarding.ReadAsync(exchange, step.Target.Name, cancellationToken), unreadable);
    }

    protected internal override async Task<ActionPlan> PlanChangesAsync(StepContext step, MailboxRules state, GuardVerdict verdict, CancellationToken cancellationToken)
    {
        var accepted = await Mail.AcceptedDomainsAsync(exchange, cancellationToken);
        var mailbox = step.Target.Name;
        var evidence = new List<Evidence>();
        var changes = new List<PlannedChange>();
        foreach (var rule in state.Rules.Where(r => !InboxRules.IsSystemRule(r.Name)))
        {
            var reasons = InboxRules.Suspicions(rule.Raw, accepted, policy.Value.Mail.ObscureFolders);
            var visibility = rule.GraphId is null ? "hidden from Graph/Outlook" : "visible";
            evidence.Add(new Evidence($"Inbox rule \"{rule.Name}\"", $"{visibility}; {(reasons.Count == 0 ? "legitimate: kept" : string.Join("; ", reasons))}"));
            if (reasons.Count > 0)
            {
                changes.Add(new RemoveInboxRule(rule.Identity, $"Remove the inbox rule \"{rule.Name}\" of {mailbox} ({string.Join("; ", reasons)})", rule.Name, rule.GraphId));
            }
        }

        var forwarding = state.Forwarding;
        if (forwarding.IsSet)
        {
            evidence.Add(new Evidence("Mailbox forwarding", forwarding.Describe()));
            changes.Add(new ClearMailboxForwarding(mailbox, $"Clear the mailbox forwarding of {mailbox} ({forwarding.Describe()})"));
        }

        var warnings = state.GraphUnreadable is { } reason ? [$"Graph rules not readable ({reason}): every rule goes through Exchange."] : new List<string>();
        var before = Snapshot.Of(Journaled(state));
        return changes.Count == 0
            ? Plans.NothingToDo(step, $"No illegitimate inbox rule or forwarding on {mailbox}.", evidence, before, warnings)
            : Plans.Change(step, $"Remove {changes.Count(c => c is RemoveInboxRule)} inbox rule(s){(forwarding.IsSet ? " and the mailbox forwarding" : string.Empty)} of {mailbox}.",
                evidence, changes, warnings, before);
    }

    protected internal override async Task<ChangeOutcome> ApplyChangeAsync(StepContext step, MailboxRules before, PlannedChange change, CancellationToken cancellationToken)
    {
        switch (change)
        {
            case RemoveInboxRule remove when before.Rules.Any(r => r.Identity == remove.ResourceId):
                await InboxRules.RemoveAsync(exchange, graph, step.Target, before.Rules, remove, cancellationToken);
                return ChangeOutcome.Done;
            case RemoveInboxRule:
                return ChangeOutcome.AlreadyDone;
            case ClearMailboxForwarding:
                return before.Forwarding.IsSet ? Mail.OutcomeOf(await MailboxForwarding.ClearAsync(exchange, step.Target.Name, cancellationToken)) : ChangeOutcome.AlreadyDone;
            default:
                throw new InvalidOperationException($"5.a has no change of kind {change.Kind}.");
        }
    }

    protected internal override string Summarize(StepContext step, MailboxRules before, MailboxRules after, IReadOnlyList<ChangeResult> results) =>
        $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} change(s) made; {after.Rules.Count} rule(s) left on {step.Target.Name}.";

    protected internal override IReadOnlyList<string> ApplyWarnings(ActionPlan plan, MailboxRules before, IReadOnlyList<ChangeResult> results) => plan.Warnings;

    /// <summary>Every rule with all its properties as Get-InboxRule returned them: enough to recreate it (release reads this shape).</summary>
    protected internal override object Journaled(MailboxRules state) => new
    {
        forwarding = new { state.Forwarding.SmtpAddress, state.Forwarding.Address, state.Forwarding.DeliverAndForward },
        rules = state.Rules.Select(r => new { r.Identity, hiddenFromGraph = r.GraphId is null, properties = r.Raw }),
    };

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(step, cancellationToken);
        var left = plan.Changes.OfType<RemoveInboxRule>().Where(c => current.Rules.Any(r => r.Identity == c.ResourceId)).Select(c => c.Name).ToList();
        if (plan.Changes.Any(c => c is ClearMailboxForwarding) && current.Forwarding.IsSet)
        {
            left.Add("mailbox forwarding " + current.Forwarding.Describe());
        }

        return left.Count == 0
            ? Results.Verified(step, "No removed rule is back and the mailbox does not forward.")
            : Results.Mismatch(step, $"Still present: {string.Join(", ", left)}.");
    }
}
