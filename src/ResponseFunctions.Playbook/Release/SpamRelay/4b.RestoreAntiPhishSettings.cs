using System.Text.Json;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using Mail = ResponseFunctions.Playbook.Cases.MailDataLeak.Mail;

namespace ResponseFunctions.Playbook.Release.SpamRelay;

/// <summary>Spoof intelligence of one anti-phishing policy set back to its journaled value.</summary>
public sealed record RestoreSpoofIntelligence(string ResourceId, string Description, bool Enabled) : PlannedChange(ResourceId, Description);

/// <summary>One trusted sender (ExcludedSenders) or domain (ExcludedDomains) 4.b removed, added back with @{Add=…}.</summary>
public sealed record RestoreTrustedEntry(string ResourceId, string Description, string List, string Value) : PlannedChange(ResourceId, Description);

/// <summary>
/// Release of 4.b, item by item: per anti-phishing policy, spoof intelligence back to its journaled value, and each
/// trusted sender or domain the containment removed added back, each on its own approval. A setting changed since
/// (spoof intelligence switched by someone, an entry trusted again) is shown and left as it is; entries are added with
/// @{Add=…}, so what others trusted meanwhile is never overwritten.
/// </summary>
/// <remarks>Exchange: Get-/Set-AntiPhishPolicy -EnableSpoofIntelligence -ExcludedSenders -ExcludedDomains, as 4.b.</remarks>
public sealed class RestoreAntiPhishSettings(IExchangeOnline exchange) : IReleaseAction
{
    private const string Spoof = "spoof-intelligence";
    private const string Sender = "trusted-sender";
    private const string Domain = "trusted-domain";

    public ActionId Id { get; } = ActionId.Parse("4.b");

    /// <summary>"spoof-intelligence:policy", "trusted-sender:address:policy", "trusted-domain:domain:policy" (the policy last: its name may hold a colon).</summary>
    public IReadOnlyList<string?> Items(OriginalStep original)
    {
        var items = new List<string?>();
        var after = Policies(original.After).ToDictionary(p => p.Identity, StringComparer.OrdinalIgnoreCase);
        foreach (var before in Policies(original.Before).Where(p => after.ContainsKey(p.Identity)))
        {
            var left = after[before.Identity];
            if (before.SpoofIntelligence != left.SpoofIntelligence)
            {
                items.Add($"{Spoof}:{before.Identity}");
            }

            items.AddRange(before.Senders.Except(left.Senders, StringComparer.OrdinalIgnoreCase).Select(s => $"{Sender}:{s}:{before.Identity}"));
            items.AddRange(before.Domains.Except(left.Domains, StringComparer.OrdinalIgnoreCase).Select(d => $"{Domain}:{d}:{before.Identity}"));
        }

        return items;
    }

    public async Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken)
    {
        var (kind, value, identity) = Split(step.Item!);
        var before = Policies(original.Before).First(p => Same(p.Identity, identity));
        var after = Policies(original.After).First(p => Same(p.Identity, identity));
        var now = (await ReadAsync(cancellationToken)).FirstOrDefault(p => Same(p.Identity, identity));
        var evidence = new List<Evidence>
        {
            new("Containment entry", original.EntryId),
            new("Before the containment", before.Describe()),
            new("After the containment", after.Describe()),
            new("Now", now?.Describe() ?? "the policy is gone"),
        };
        if (now is null)
        {
            return Plans.NothingToDo(step.Step, $"The anti-phishing policy \"{identity}\" is gone: nothing to restore.", evidence);
        }

        if (kind == Spoof)
        {
            return now.SpoofIntelligence != after.SpoofIntelligence
                ? Plans.NothingToDo(step.Step, $"Spoof intelligence in \"{identity}\" changed since the containment: left as it is.", evidence, null,
                    [$"Changed since the containment: spoof intelligence is {OnOff(now.SpoofIntelligence)} (the containment left it {OnOff(after.SpoofIntelligence)}). Nothing is overwritten."])
                : Plans.Change(step.Step, $"Switch spoof intelligence in \"{identity}\" back {OnOff(before.SpoofIntelligence)}, as before the containment.", evidence,
                    [new RestoreSpoofIntelligence(identity, $"Spoof intelligence {OnOff(before.SpoofIntelligence)} in \"{identity}\"", before.SpoofIntelligence)],
                    before.SpoofIntelligence ? null : ["With spoof intelligence off, mail from spoofed senders is not caught: switch it off only if that was a deliberate choice."]);
        }

        var (list, current, label) = kind == Sender ? ("ExcludedSenders", now.Senders, "trusted sender") : ("ExcludedDomains", now.Domains, "trusted domain");
        return current.Contains(value, StringComparer.OrdinalIgnoreCase)
            ? Plans.NothingToDo(step.Step, $"{value} is a {label} of \"{identity}\" again since the containment: left as it is.", evidence)
            : Plans.Change(step.Step, $"Trust {value} again in \"{identity}\" ({label}, skips impersonation protection).", evidence,
                [new RestoreTrustedEntry(identity, $"Add {value} back to the {label}s of \"{identity}\"", list, value)],
                [$"{value} was removed as outside the baseline: add it to Containment:Mail:{(kind == Sender ? "TrustedSendersBaseline" : "TrustedDomainsBaseline")} if it is legitimate, or a later containment removes it again."]);
    }

    public async Task<ApplyResult> ApplyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var change = plan.Changes.Single();
        var result = await Results.RunChangeAsync(change, async () =>
        {
            var now = (await ReadAsync(cancellationToken)).FirstOrDefault(p => Same(p.Identity, change.ResourceId));
            if (now is null || Holds(now, change))
            {
                return ChangeOutcome.AlreadyDone;
            }

            var command = ExchangeCommand.For("Set-AntiPhishPolicy").With("Identity", change.ResourceId);
            command = change switch
            {
                RestoreSpoofIntelligence spoof => command.With("EnableSpoofIntelligence", spoof.Enabled),
                RestoreTrustedEntry trusted => command.Modify(trusted.List, add: [trusted.Value]),
                _ => throw new InvalidOperationException($"The release of 4.b cannot apply '{change.Kind}'."),
            };
            return Mail.OutcomeOf(await exchange.InvokeAsync(command, cancellationToken));
        });
        return Results.From(step.Step, [result], change.Description, null, null, plan.Warnings);
    }

    public async Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var change = plan.Changes.Single();
        var now = (await ReadAsync(cancellationToken)).FirstOrDefault(p => Same(p.Identity, change.ResourceId));
        return now is not null && Holds(now, change) ? Results.Verified(step.Step, change.Description) : Results.Mismatch(step.Step, $"Not as planned: {change.Description}.");
    }

    private static bool Holds(AntiPhishView policy, PlannedChange change) => change switch
    {
        RestoreSpoofIntelligence spoof => policy.SpoofIntelligence == spoof.Enabled,
        RestoreTrustedEntry { List: "ExcludedSenders" } trusted => policy.Senders.Contains(trusted.Value, StringComparer.OrdinalIgnoreCase),
        RestoreTrustedEntry trusted => policy.Domains.Contains(trusted.Value, StringComparer.OrdinalIgnoreCase),
        _ => false,
    };

    private async Task<IReadOnlyList<AntiPhishView>> ReadAsync(CancellationToken cancellationToken) =>
        [.. (await exchange.InvokeAsync(ExchangeCommand.For("Get-AntiPhishPolicy"), cancellationToken)).Select(AntiPhishView.Of)];

    /// <summary>4.b journals each policy as the cmdlet's object (Identity, EnableSpoofIntelligence, ExcludedSenders, ExcludedDomains…).</summary>
    private static IEnumerable<AntiPhishView> Policies(JsonElement? state) =>
        state is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.Object).Select(AntiPhishView.Of) : [];

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string OnOff(bool value) => value ? "on" : "off";

    private static (string Kind, string Value, string Policy) Split(string item)
    {
        var parts = item.Split(':', 2);
        if (parts[0] == Spoof)
        {
            return (Spoof, string.Empty, parts[1]);
        }

        var rest = parts[1].Split(':', 2);
        return (parts[0], rest[0], rest[1]);
    }

    private sealed record AntiPhishView(string Identity, bool SpoofIntelligence, IReadOnlyList<string> Senders, IReadOnlyList<string> Domains)
    {
        public static AntiPhishView Of(JsonElement p) =>
            new(Mail.Str(p, "Identity") ?? "?", Mail.Bool(p, "EnableSpoofIntelligence") == true, Mail.Strings(p, "ExcludedSenders"), Mail.Strings(p, "ExcludedDomains"));

        public string Describe() =>
            $"spoof intelligence {OnOff(SpoofIntelligence)}; trusted senders: {(Senders.Count == 0 ? "none" : string.Join(", ", Senders))}; trusted domains: {(Domains.Count == 0 ? "none" : string.Join(", ", Domains))}";
    }
}
