using System.Text.Json;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.MailDataLeak;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.SpamRelay;

/// <summary>
/// 4.b — Restore every anti-phishing policy: spoof intelligence back on, and the trusted senders and domains
/// (ExcludedSenders, ExcludedDomains, which skip impersonation protection) back to the baseline. Items are removed
/// with @{Remove=…}, so trusted entries someone adds meanwhile are not overwritten.
/// </summary>
/// <remarks>Exchange: Get-/Set-AntiPhishPolicy.</remarks>
public sealed class RestoreAntiSpoofing(IExchangeOnline exchange, IOptions<ContainmentPolicy> policy) : IContainmentAction
{
    private const string Restore = "restore-anti-phish-policy";

    public ActionId Id { get; } = ActionId.Parse("4.b");

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var policies = await ReadAsync(cancellationToken);
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
                changes.Add(new UntypedChange(Restore, current.Identity, $"In \"{current.Identity}\": {string.Join("; ", what)}",
                    Mail.Params(("senders", Mail.Join(senders)), ("domains", Mail.Join(domains)))));
            }
        }

        var before = Snapshot.Of(policies.Select(p => p.Properties));
        return changes.Count == 0
            ? Plans.NothingToDo(step, "Spoof intelligence is on and the trusted senders and domains match the baseline.", evidence, before)
            : Plans.Change(step, $"Restore {changes.Count} anti-phishing policy(ies).", evidence, changes, before: before);
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var before = await ReadAsync(cancellationToken);
        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes)
        {
            results.Add(await Results.RunChangeAsync(change, async () =>
            {
                var current = before.FirstOrDefault(p => p.Identity == change.ResourceId);
                if (current is null)
                {
                    return ChangeOutcome.AlreadyDone;
                }

                var senders = Mail.Split(change.Parameter("senders")).Where(s => current.Senders.Contains(s, StringComparer.OrdinalIgnoreCase)).ToList();
                var domains = Mail.Split(change.Parameter("domains")).Where(d => current.Domains.Contains(d, StringComparer.OrdinalIgnoreCase)).ToList();
                if (current.SpoofIntelligence && senders.Count == 0 && domains.Count == 0)
                {
                    return ChangeOutcome.AlreadyDone;
                }

                var command = ExchangeCommand.For("Set-AntiPhishPolicy").With("Identity", change.ResourceId).With("EnableSpoofIntelligence", true);
                command = senders.Count > 0 ? command.Modify("ExcludedSenders", remove: senders) : command;
                command = domains.Count > 0 ? command.Modify("ExcludedDomains", remove: domains) : command;
                return Mail.OutcomeOf(await exchange.InvokeAsync(command, cancellationToken));
            }));
        }

        var after = await ReadAsync(cancellationToken);
        return Results.From(step, results, $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} anti-phishing policy(ies) restored.",
            Snapshot.Of(before.Select(p => p.Properties)), Snapshot.Of(after.Select(p => p.Properties)));
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(cancellationToken);
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

    private async Task<IReadOnlyList<AntiPhish>> ReadAsync(CancellationToken cancellationToken) =>
        [.. (await exchange.InvokeAsync(ExchangeCommand.For("Get-AntiPhishPolicy"), cancellationToken)).Select(p => new AntiPhish(
            Mail.Str(p, "Identity") ?? "?", Mail.Bool(p, "EnableSpoofIntelligence") == true, Mail.Strings(p, "ExcludedSenders"), Mail.Strings(p, "ExcludedDomains"), p))];

    private sealed record AntiPhish(string Identity, bool SpoofIntelligence, IReadOnlyList<string> Senders, IReadOnlyList<string> Domains, JsonElement Properties);
}
