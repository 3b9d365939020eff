using System.Text.Json;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.MailDataLeak;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.SpamRelay;

/// <summary>Spoof intelligence back on in one anti-phishing policy, and the listed trusted senders and domains removed from it.</summary>
public sealed record RestoreAntiPhishPolicy(string ResourceId, string Description, IReadOnlyList<string> Senders, IReadOnlyList<string> Domains)
    : PlannedChange(ResourceId, Description);

/// <summary>One anti-phishing policy as 4.b reads it; <see cref="Properties"/> is what the journal keeps.</summary>
public sealed record AntiPhish(string Identity, bool SpoofIntelligence, IReadOnlyList<string> Senders, IReadOnlyList<string> Domains, JsonElement Properties);

/// <summary>
/// 4.b — Restore every anti-phishing policy: spoof intelligence back on, and the trusted senders and domains
/// (ExcludedSenders, ExcludedDomains, which skip impersonation protection) back to the baseline. Items are removed
/// with @{Remove=…}, so trusted entries someone adds meanwhile are not overwritten.
/// </summary>
/// <remarks>Exchange: Get-/Set-AntiPhishPolicy. Permissions: the catalog row.</remarks>
public sealed class RestoreAntiSpoofing(IExchangeOnline exchange, IOptions<ContainmentPolicy> policy, ChangeRunner runner)
    : ContainmentAction<IReadOnlyList<AntiPhish>>(runner)
{
    public override ActionId Id { get; } = ActionId.Parse("4.b");

    protected internal override async Task<IReadOnlyList<AntiPhish>> ReadAsync(StepContext step, CancellationToken cancellationToken) =>
        [.. (await exchange.InvokeAsync(ExchangeCommand.For("Get-AntiPhishPolicy"), cancellationToken)).Select(p => new AntiPhish(
            Mail.Str(p, "Identity") ?? "?", Mail.Bool(p, "EnableSpoofIntelligence") == true, Mail.Strings(p, "ExcludedSenders"), Mail.Strings(p, "ExcludedDomains"), p))];

    protected override ActionPlan Plan(StepContext step, IReadOnlyList<AntiPhish> policies, GuardVerdict verdict)
    {
        var evidence = new List<Evidence>();
        var changes = new List<PlannedChange>();
        foreach (var current in policies)
        {
            var (senders, domains) = Illegitimate(current);
            evidence.Add(new Evidence($"Anti-phishing policy \"{current.Identity}\"",
                $"spoof intelligence {(current.SpoofIntelligence ? "on" : "OFF")}; trusted senders: {List(current.Senders)}; trusted domains: {List(current.Domains)}"));
            if (!current.SpoofIntelligence || senders.Count > 0 || domains.Count > 0)
            {
                var what = new[]
                {
                    current.SpoofIntelligence ? null : "switch spoof intelligence on",
                    senders.Count > 0 ? $"remove trusted sender(s) {string.Join(", ", senders)}" : null,
                    domains.Count > 0 ? $"remove trusted domain(s) {string.Join(", ", domains)}" : null,
                }.OfType<string>();
                changes.Add(new RestoreAntiPhishPolicy(current.Identity, $"In \"{current.Identity}\": {string.Join("; ", what)}", senders, domains));
            }
        }

        var before = Snapshot.Of(Journaled(policies));
        return changes.Count == 0
            ? Plans.NothingToDo(step, "Spoof intelligence is on and the trusted senders and domains match the baseline.", evidence, before)
            : Plans.Change(step, $"Restore {changes.Count} anti-phishing policy(ies).", evidence, changes, before: before);
    }

    protected internal override async Task<ChangeOutcome> ApplyChangeAsync(StepContext step, IReadOnlyList<AntiPhish> before, PlannedChange change, CancellationToken cancellationToken)
    {
        var restore = (RestoreAntiPhishPolicy)change;
        if (before.FirstOrDefault(p => p.Identity == restore.ResourceId) is not { } current)
        {
            return ChangeOutcome.AlreadyDone;
        }

        var senders = restore.Senders.Where(s => current.Senders.Contains(s, StringComparer.OrdinalIgnoreCase)).ToList();
        var domains = restore.Domains.Where(d => current.Domains.Contains(d, StringComparer.OrdinalIgnoreCase)).ToList();
        if (current.SpoofIntelligence && senders.Count == 0 && domains.Count == 0)
        {
            return ChangeOutcome.AlreadyDone;
        }

        var command = ExchangeCommand.For("Set-AntiPhishPolicy").With("Identity", restore.ResourceId).With("EnableSpoofIntelligence", true);
        command = senders.Count > 0 ? command.Modify("ExcludedSenders", remove: senders) : command;
        command = domains.Count > 0 ? command.Modify("ExcludedDomains", remove: domains) : command;
        return Mail.OutcomeOf(await exchange.InvokeAsync(command, cancellationToken));
    }

    protected internal override string Summarize(StepContext step, IReadOnlyList<AntiPhish> before, IReadOnlyList<AntiPhish> after, IReadOnlyList<ChangeResult> results) =>
        $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} anti-phishing policy(ies) restored.";

    protected internal override object Journaled(IReadOnlyList<AntiPhish> policies) => policies.Select(p => p.Properties).ToList();

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(step, cancellationToken);
        var left = plan.Changes.Select(c => current.FirstOrDefault(p => p.Identity == c.ResourceId)).OfType<AntiPhish>()
            .Where(p => !p.SpoofIntelligence || Illegitimate(p) is { Senders.Count: > 0 } or { Domains.Count: > 0 }).Select(p => p.Identity).ToList();
        return left.Count == 0 ? Results.Verified(step, "Spoof intelligence is on and the trusted lists match the baseline.") : Results.Mismatch(step, $"Not restored: {string.Join(", ", left)}.");
    }

    private (List<string> Senders, List<string> Domains) Illegitimate(AntiPhish current)
    {
        var mail = policy.Value.Mail;
        return ([.. current.Senders.Where(s => !mail.TrustedSendersBaseline.Contains(s, StringComparer.OrdinalIgnoreCase))],
            [.. current.Domains.Where(d => !mail.TrustedDomainsBaseline.Contains(d, StringComparer.OrdinalIgnoreCase))]);
    }

    private static string List(IReadOnlyList<string> values) => values.Count == 0 ? "none" : string.Join(", ", values);
}
