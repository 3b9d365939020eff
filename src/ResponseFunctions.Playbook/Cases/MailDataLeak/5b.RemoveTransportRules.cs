using System.Text.Json;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.MailDataLeak;

/// <summary>An illegitimate transport rule disabled first, so mail stops leaking even if its removal fails.</summary>
public sealed record DisableTransportRule(string ResourceId, string Description, string Name) : PlannedChange(ResourceId, Description);

/// <summary>The illegitimate transport rule removed (its whole definition is in the journaled before-state).</summary>
public sealed record RemoveTransportRule(string ResourceId, string Description, string Name) : PlannedChange(ResourceId, Description);

/// <summary>
/// 5.b — Disable, then remove, the transport rules that send mail outside the organisation (redirect, blind copy,
/// added recipient, copy) or that were changed in the incident window. Disabling comes first so mail stops leaking
/// even if the removal fails; every rule is exported whole into the before-state, so a healthy one can be restored.
/// </summary>
/// <remarks>Exchange: Get-TransportRule, Disable-TransportRule, Remove-TransportRule. Permissions: the catalog row.</remarks>
public sealed class RemoveTransportRules(IExchangeOnline exchange, IOptions<ContainmentPolicy> policy, ChangeRunner runner)
    : ContainmentAction<IReadOnlyList<JsonElement>>(runner)
{
    private static readonly string[] OutboundProperties = ["RedirectMessageTo", "BlindCopyTo", "AddToRecipients", "CopyTo", "AddManagerAsRecipientType"];

    public override ActionId Id { get; } = ActionId.Parse("5.b");

    protected internal override async Task<IReadOnlyList<JsonElement>> ReadAsync(StepContext step, CancellationToken cancellationToken) =>
        await exchange.InvokeAsync(ExchangeCommand.For("Get-TransportRule"), cancellationToken);

    protected internal override async Task<ActionPlan> PlanChangesAsync(StepContext step, IReadOnlyList<JsonElement> rules, GuardVerdict verdict, CancellationToken cancellationToken)
    {
        var accepted = await Mail.AcceptedDomainsAsync(exchange, cancellationToken);
        var evidence = new List<Evidence>();
        var changes = new List<PlannedChange>();
        foreach (var rule in rules)
        {
            var name = Mail.Str(rule, "Name") ?? "?";
            var identity = IdentityOf(rule) ?? name;
            // The playbook's own attachment rule (5.e) is recent by construction: never the incident's.
            var reasons = string.Equals(name, policy.Value.Mail.AttachmentRuleName, StringComparison.OrdinalIgnoreCase) ? [] : Suspicions(rule, accepted, step.Scope);
            evidence.Add(new Evidence($"Transport rule \"{name}\"", $"{Mail.Str(rule, "State")}; {(reasons.Count == 0 ? "legitimate: kept" : string.Join("; ", reasons))}"));
            if (reasons.Count == 0)
            {
                continue;
            }

            if (!IsDisabled(rule))
            {
                changes.Add(new DisableTransportRule(identity, $"Disable the transport rule \"{name}\" ({string.Join("; ", reasons)})", name));
            }

            changes.Add(new RemoveTransportRule(identity, $"Then remove the transport rule \"{name}\" (exported in the journal)", name));
        }

        var before = Snapshot.Of(rules);
        return changes.Count == 0
            ? Plans.NothingToDo(step, "No transport rule sends mail outside the organisation or changed in the incident window.", evidence, before)
            : Plans.Change(step, $"Disable then remove {changes.Count(c => c is RemoveTransportRule)} illegitimate transport rule(s).", evidence, changes, before: before);
    }

    /// <summary>Against the rules read at apply: gone (or already disabled, for the first step) is done; a rule removed meanwhile answers not found, also done.</summary>
    protected internal override async Task<ChangeOutcome> ApplyChangeAsync(StepContext step, IReadOnlyList<JsonElement> before, PlannedChange change, CancellationToken cancellationToken)
    {
        var current = before.Where(r => Matches(r, change.ResourceId)).Select(r => (JsonElement?)r).FirstOrDefault();
        if (current is not { } rule || (change is DisableTransportRule && IsDisabled(rule)))
        {
            return ChangeOutcome.AlreadyDone;
        }

        var cmdlet = change is DisableTransportRule ? "Disable-TransportRule" : "Remove-TransportRule";
        return Mail.OutcomeOf(await exchange.InvokeAsync(ExchangeCommand.For(cmdlet).With("Identity", change.ResourceId).With("Confirm", false), cancellationToken));
    }

    protected internal override string Summarize(StepContext step, IReadOnlyList<JsonElement> before, IReadOnlyList<JsonElement> after, IReadOnlyList<ChangeResult> results) =>
        $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} transport rule change(s) made; {after.Count} rule(s) remain.";

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var rules = await ReadAsync(step, cancellationToken);
        var left = plan.Changes.OfType<RemoveTransportRule>().Where(c => rules.Any(r => Matches(r, c.ResourceId))).Select(c => c.Name).ToList();
        return left.Count == 0 ? Results.Verified(step, "None of the removed transport rules exists.") : Results.Mismatch(step, $"Still present: {string.Join(", ", left)}.");
    }

    private static string? IdentityOf(JsonElement rule) => Mail.Str(rule, "Guid") ?? Mail.Str(rule, "Identity");

    private static bool Matches(JsonElement rule, string identity) => Mail.Str(rule, "Guid") == identity || Mail.Str(rule, "Identity") == identity;

    private static bool IsDisabled(JsonElement rule) => string.Equals(Mail.Str(rule, "State"), "Disabled", StringComparison.OrdinalIgnoreCase);

    private List<string> Suspicions(JsonElement rule, IReadOnlySet<string> accepted, IncidentScope scope)
    {
        var reasons = new List<string>();
        foreach (var property in OutboundProperties)
        {
            var external = Mail.Strings(rule, property).Select(Mail.AddressOf).Where(a => a.Contains('@') && Mail.IsExternal(a, accepted)).ToList();
            if (external.Count > 0)
            {
                reasons.Add($"{property} external {string.Join(", ", external)}");
            }
        }

        if (Mail.Date(rule, "WhenChanged") is { } changed && Mail.InIncidentWindow(changed, scope, policy.Value.Mail.IncidentLookback))
        {
            reasons.Add($"changed {changed:u}, in the incident window");
        }

        return reasons;
    }
}
