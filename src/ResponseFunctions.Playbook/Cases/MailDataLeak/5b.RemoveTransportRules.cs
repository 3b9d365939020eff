using System.Text.Json;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.MailDataLeak;

/// <summary>
/// 5.b — Disable, then remove, the transport rules that send mail outside the organisation (redirect, blind copy,
/// added recipient, copy) or that were changed in the incident window. Disabling comes first so mail stops leaking
/// even if the removal fails; every rule is exported whole into the before-state, so a healthy one can be restored.
/// </summary>
/// <remarks>Exchange: Get-TransportRule, Disable-TransportRule, Remove-TransportRule (Exchange.ManageAsApp + Exchange Administrator).</remarks>
public sealed class RemoveTransportRules(IExchangeOnline exchange, IOptions<ContainmentPolicy> policy) : IContainmentAction
{
    private const string Disable = "disable-transport-rule";
    private const string Remove = "remove-transport-rule";
    private static readonly string[] OutboundProperties = ["RedirectMessageTo", "BlindCopyTo", "AddToRecipients", "CopyTo", "AddManagerAsRecipientType"];

    public ActionId Id { get; } = ActionId.Parse("5.b");

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var accepted = await Mail.AcceptedDomainsAsync(exchange, cancellationToken);
        var rules = await ReadAsync(cancellationToken);
        var evidence = new List<Evidence>();
        var changes = new List<PlannedChange>();
        foreach (var rule in rules)
        {
            var name = Mail.Str(rule, "Name") ?? "?";
            var identity = Mail.Str(rule, "Guid") ?? Mail.Str(rule, "Identity") ?? name;
            // The playbook's own attachment rule (5.e) is recent by construction: never the incident's.
            var reasons = string.Equals(name, policy.Value.Mail.AttachmentRuleName, StringComparison.OrdinalIgnoreCase) ? [] : Suspicions(rule, accepted, step.Scope);
            evidence.Add(new Evidence($"Transport rule \"{name}\"", $"{Mail.Str(rule, "State")}; {(reasons.Count == 0 ? "legitimate: kept" : string.Join("; ", reasons))}"));
            if (reasons.Count == 0)
            {
                continue;
            }

            var parameters = Mail.Params(("name", name));
            if (!string.Equals(Mail.Str(rule, "State"), "Disabled", StringComparison.OrdinalIgnoreCase))
            {
                changes.Add(new UntypedChange(Disable, identity, $"Disable the transport rule \"{name}\" ({string.Join("; ", reasons)})", parameters));
            }

            changes.Add(new UntypedChange(Remove, identity, $"Then remove the transport rule \"{name}\" (exported in the journal)", parameters));
        }

        var before = Snapshot.Of(rules);
        return changes.Count == 0
            ? Plans.NothingToDo(step, "No transport rule sends mail outside the organisation or changed in the incident window.", evidence, before)
            : Plans.Change(step, $"Disable then remove {changes.Count(c => c.Kind == Remove)} illegitimate transport rule(s).", evidence, changes, before: before);
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var before = await ReadAsync(cancellationToken);
        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes)
        {
            results.Add(await Results.RunChangeAsync(change, async () =>
            {
                var current = await FindAsync(change.ResourceId, cancellationToken);
                if (current is null || (change.Kind == Disable && string.Equals(Mail.Str(current.Value, "State"), "Disabled", StringComparison.OrdinalIgnoreCase)))
                {
                    return ChangeOutcome.AlreadyDone;
                }

                var cmdlet = change.Kind switch
                {
                    Disable => "Disable-TransportRule",
                    Remove => "Remove-TransportRule",
                    _ => throw new InvalidOperationException($"5.b cannot apply '{change.Kind}'."),
                };
                return Mail.OutcomeOf(await exchange.InvokeAsync(ExchangeCommand.For(cmdlet).With("Identity", change.ResourceId).With("Confirm", false), cancellationToken));
            }));
        }

        var after = await ReadAsync(cancellationToken);
        return Results.From(step, results, $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} transport rule change(s) made; {after.Count} rule(s) remain.",
            Snapshot.Of(before), Snapshot.Of(after));
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var rules = await ReadAsync(cancellationToken);
        var left = plan.Changes.Where(c => c.Kind == Remove)
            .Where(c => rules.Any(r => Mail.Str(r, "Guid") == c.ResourceId || Mail.Str(r, "Identity") == c.ResourceId))
            .Select(c => c.Parameter("name")).ToList();
        return left.Count == 0 ? Results.Verified(step, "None of the removed transport rules exists.") : Results.Mismatch(step, $"Still present: {string.Join(", ", left)}.");
    }

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

    private async Task<IReadOnlyList<JsonElement>> ReadAsync(CancellationToken cancellationToken) =>
        await exchange.InvokeAsync(ExchangeCommand.For("Get-TransportRule"), cancellationToken);

    private async Task<JsonElement?> FindAsync(string identity, CancellationToken cancellationToken) =>
        (await ReadAsync(cancellationToken)).Select(r => (JsonElement?)r)
        .FirstOrDefault(r => Mail.Str(r!.Value, "Guid") == identity || Mail.Str(r!.Value, "Identity") == identity);
}
