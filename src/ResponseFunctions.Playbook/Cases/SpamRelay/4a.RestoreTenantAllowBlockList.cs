using System.Text.Json;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.MailDataLeak;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.SpamRelay;

/// <summary>One allow entry of the tenant allow/block list removed, by its id, from its list.</summary>
public sealed record RemoveAllowEntry(string ResourceId, string Description, string ListType, string Value) : PlannedChange(ResourceId, Description);

/// <summary>One incident sender domain blocked in the tenant block list, without expiry (the domain is <c>resourceId</c>).</summary>
public sealed record BlockSenderDomain(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>One entry of the tenant allow/block list, tagged with its list type; what the journal keeps, as it always did.</summary>
public sealed record AllowBlockEntry(string ListType, string Identity, string Value, string Action, DateTimeOffset? LastModified, JsonElement Properties)
{
    public bool Blocks(string domain) => ListType == "Sender" && Action == "Block" && string.Equals(Value, domain, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// 4.a — Restore the anti-spam configuration: remove the tenant allow list entries (senders and URLs) that the
/// allow-list baseline does not hold, that were modified in the incident window, or that name the incident's sender
/// domains; then block those domains. Removal comes first (the plan lists removals first and the runner keeps that
/// order): the service refuses a block entry beside an allow entry.
/// </summary>
/// <remarks>Exchange: Get-/Remove-/New-TenantAllowBlockListItems (one list type per call; -Ids and -Entries are exclusive).</remarks>
public sealed class RestoreTenantAllowBlockList(IExchangeOnline exchange, IOptions<ContainmentPolicy> policy, ChangeRunner runner)
    : ContainmentAction<IReadOnlyList<AllowBlockEntry>>(runner)
{
    private static readonly string[] ListTypes = ["Sender", "Url"];

    public override ActionId Id { get; } = ActionId.Parse("4.a");

    protected internal override async Task<IReadOnlyList<AllowBlockEntry>> ReadAsync(StepContext step, CancellationToken cancellationToken)
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

    protected override ActionPlan Plan(StepContext step, IReadOnlyList<AllowBlockEntry> entries, GuardVerdict verdict)
    {
        var evidence = new List<Evidence>();
        var removals = new List<PlannedChange>();
        foreach (var entry in entries.Where(e => e.Action == "Allow"))
        {
            var reasons = Suspicions(entry, step.Scope);
            evidence.Add(new Evidence($"Allowed {entry.ListType} {entry.Value}", reasons.Count == 0 ? "in the baseline: kept" : string.Join("; ", reasons)));
            if (reasons.Count > 0)
            {
                removals.Add(new RemoveAllowEntry(entry.Identity, $"Remove the allow entry {entry.ListType} {entry.Value} ({string.Join("; ", reasons)})", entry.ListType, entry.Value));
            }
        }

        var blocks = new List<PlannedChange>();
        foreach (var domain in step.Scope.Domains)
        {
            var blocked = entries.Any(e => e.Blocks(domain));
            evidence.Add(new Evidence($"Incident sender domain {domain}", blocked ? "already blocked" : "not blocked"));
            if (!blocked)
            {
                blocks.Add(new BlockSenderDomain(domain, $"Block the sender domain {domain} in the tenant block list (no expiry)"));
            }
        }

        var before = Snapshot.Of(entries);
        return removals.Count + blocks.Count == 0
            ? Plans.NothingToDo(step, "The tenant allow/block list holds no illegitimate allow entry and blocks the incident's domains.", evidence, before)
            : Plans.Change(step, $"Remove {removals.Count} allow entry(ies) and block {blocks.Count} sender domain(s).", evidence, [.. removals, .. blocks], before: before);
    }

    protected internal override async Task<ChangeOutcome> ApplyChangeAsync(StepContext step, IReadOnlyList<AllowBlockEntry> before, PlannedChange change, CancellationToken cancellationToken)
    {
        switch (change)
        {
            case RemoveAllowEntry remove:
                if (before.All(e => e.Identity != remove.ResourceId))
                {
                    return ChangeOutcome.AlreadyDone;
                }

                await exchange.InvokeAsync(ExchangeCommand.For("Remove-TenantAllowBlockListItems").With("ListType", remove.ListType).With("Ids", [remove.ResourceId]), cancellationToken);
                return ChangeOutcome.Done;
            case BlockSenderDomain block:
                if (before.Any(e => e.Blocks(block.ResourceId)))
                {
                    return ChangeOutcome.AlreadyDone;
                }

                await exchange.InvokeAsync(ExchangeCommand.For("New-TenantAllowBlockListItems").With("ListType", "Sender").Switch("Block")
                    .With("Entries", [block.ResourceId]).Switch("NoExpiration").With("Notes", $"Incident {step.IncidentId} (containment 4.a)"), cancellationToken);
                return ChangeOutcome.Done;
            default:
                throw new InvalidOperationException($"4.a does not make '{change.Kind}' changes.");
        }
    }

    /// <summary>An allow entry gone is removed; a block the service answers 404 to is not made.</summary>
    protected internal override bool GoneMeansDone(PlannedChange change) => change is RemoveAllowEntry;

    protected internal override string Summarize(StepContext step, IReadOnlyList<AllowBlockEntry> before, IReadOnlyList<AllowBlockEntry> after, IReadOnlyList<ChangeResult> results) =>
        $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} allow/block list change(s) made.";

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(step, cancellationToken);
        var left = plan.Changes.Where(c => c is RemoveAllowEntry
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
}
