using System.Text.Json;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.MailDataLeak;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.SpamRelay;

/// <summary>
/// 4.a — Restore the anti-spam configuration: remove the tenant allow list entries (senders and URLs) that the
/// allow-list baseline does not hold, that were modified in the incident window, or that name the incident's sender
/// domains; then block those domains. Removal comes first: the service refuses a block entry beside an allow entry.
/// </summary>
/// <remarks>Exchange: Get-/Remove-/New-TenantAllowBlockListItems (one list type per call; -Ids and -Entries are exclusive).</remarks>
public sealed class RestoreTenantAllowBlockList(IExchangeOnline exchange, IOptions<ContainmentPolicy> policy) : IContainmentAction
{
    private const string RemoveAllow = "remove-allow-entry";
    private const string BlockSender = "block-sender-domain";
    private static readonly string[] ListTypes = ["Sender", "Url"];

    public ActionId Id { get; } = ActionId.Parse("4.a");

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var entries = await ReadAsync(cancellationToken);
        var evidence = new List<Evidence>();
        var changes = new List<PlannedChange>();
        foreach (var entry in entries.Where(e => e.Action == "Allow"))
        {
            var reasons = Suspicions(entry, step.Scope);
            evidence.Add(new Evidence($"Allowed {entry.ListType} {entry.Value}", reasons.Count == 0 ? "in the baseline: kept" : string.Join("; ", reasons)));
            if (reasons.Count > 0)
            {
                changes.Add(new UntypedChange(RemoveAllow, entry.Identity, $"Remove the allow entry {entry.ListType} {entry.Value} ({string.Join("; ", reasons)})",
                    Mail.Params(("listType", entry.ListType), ("value", entry.Value))));
            }
        }

        foreach (var domain in step.Scope.Domains)
        {
            var blocked = entries.Any(e => e.ListType == "Sender" && e.Action == "Block" && string.Equals(e.Value, domain, StringComparison.OrdinalIgnoreCase));
            evidence.Add(new Evidence($"Incident sender domain {domain}", blocked ? "already blocked" : "not blocked"));
            if (!blocked)
            {
                changes.Add(new UntypedChange(BlockSender, domain, $"Block the sender domain {domain} in the tenant block list (no expiry)"));
            }
        }

        var before = Snapshot.Of(entries);
        return changes.Count == 0
            ? Plans.NothingToDo(step, "The tenant allow/block list holds no illegitimate allow entry and blocks the incident's domains.", evidence, before)
            : Plans.Change(step, $"Remove {changes.Count(c => c.Kind == RemoveAllow)} allow entry(ies) and block {changes.Count(c => c.Kind == BlockSender)} sender domain(s).",
                evidence, changes, before: before);
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var before = await ReadAsync(cancellationToken);
        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes.OrderBy(c => c.Kind == RemoveAllow ? 0 : 1))
        {
            results.Add(await Results.RunChangeAsync(change, async () =>
            {
                var current = await ReadAsync(cancellationToken);
                if (change.Kind == RemoveAllow)
                {
                    if (current.All(e => e.Identity != change.ResourceId))
                    {
                        return ChangeOutcome.AlreadyDone;
                    }

                    await exchange.InvokeAsync(ExchangeCommand.For("Remove-TenantAllowBlockListItems").With("ListType", change.Parameter("listType"))
                        .With("Ids", [change.ResourceId]), cancellationToken);
                    return ChangeOutcome.Done;
                }

                if (current.Any(e => e.ListType == "Sender" && e.Action == "Block" && string.Equals(e.Value, change.ResourceId, StringComparison.OrdinalIgnoreCase)))
                {
                    return ChangeOutcome.AlreadyDone;
                }

                await exchange.InvokeAsync(ExchangeCommand.For("New-TenantAllowBlockListItems").With("ListType", "Sender").Switch("Block")
                    .With("Entries", [change.ResourceId]).Switch("NoExpiration").With("Notes", $"Incident {step.IncidentId} (containment 4.a)"), cancellationToken);
                return ChangeOutcome.Done;
            }));
        }

        var after = await ReadAsync(cancellationToken);
        return Results.From(step, results, $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} allow/block list change(s) made.", Snapshot.Of(before), Snapshot.Of(after));
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(cancellationToken);
        var left = plan.Changes.Where(c => c.Kind == RemoveAllow
                ? current.Any(e => e.Identity == c.ResourceId)
                : !current.Any(e => e.Action == "Block" && string.Equals(e.Value, c.ResourceId, StringComparison.OrdinalIgnoreCase)))
            .Select(c => c.Description).ToList();
        return left.Count == 0 ? Results.Verified(step, "The illegitimate allow entries are gone and the incident's domains are blocked.") : Results.Mismatch(step, $"Not in place: {string.Join("; ", left)}.");
    }

    private List<string> Suspicions(AllowBlockEntry entry, IncidentScope scope)
    {
        var reasons = new List<string>();
        var mail = policy.Value.Mail;
        if (scope.Domains.Any(d => entry.Value.EndsWith(d, StringComparison.OrdinalIgnoreCase)))
        {
            reasons.Add("names an incident sender domain");
        }

        if (!mail.AllowListBaseline.Contains(entry.Value, StringComparer.OrdinalIgnoreCase))
        {
            reasons.Add("not in the allow-list baseline");
        }

        if (Mail.InIncidentWindow(entry.LastModified, scope, mail.IncidentLookback))
        {
            reasons.Add($"modified {entry.LastModified:u}, in the incident window");
        }

        return reasons;
    }

    private async Task<IReadOnlyList<AllowBlockEntry>> ReadAsync(CancellationToken cancellationToken)
    {
        var entries = new List<AllowBlockEntry>();
        foreach (var listType in ListTypes)
        {
            // Items do not carry their list type: one call per type, tagged here (as CIPP does).
            foreach (var item in await exchange.InvokeAsync(ExchangeCommand.For("Get-TenantAllowBlockListItems").With("ListType", listType), cancellationToken))
            {
                entries.Add(new AllowBlockEntry(listType, Mail.Str(item, "Identity") ?? "?", Mail.Str(item, "Value") ?? "?", Mail.Str(item, "Action") ?? "?",
                    Mail.Date(item, "LastModifiedDateTime"), item));
            }
        }

        return entries;
    }

    private sealed record AllowBlockEntry(string ListType, string Identity, string Value, string Action, DateTimeOffset? LastModified, JsonElement Properties);
}
