using System.Text.Json;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using Mail = ResponseFunctions.Playbook.Cases.MailDataLeak.Mail;

namespace ResponseFunctions.Playbook.Release.SpamRelay;

/// <summary>A Strict preset rule (EOP or ATP, the resource) back to its journaled recipients, exceptions and state.</summary>
public sealed record RestorePresetRule(string ResourceId, string Description, string Identity, IReadOnlyList<string> SentTo, IReadOnlyList<string> ExceptIfSentTo, bool Enabled)
    : PlannedChange(ResourceId, Description);

/// <summary>The outbound spam policy back to its journaled limits, action and notification.</summary>
public sealed record RestoreOutboundSpamPolicy(
    string ResourceId, string Description, int ExternalPerHour, int InternalPerHour, int PerDay, string Action, bool Notify, IReadOnlyList<string> NotifyRecipients)
    : PlannedChange(ResourceId, Description);

/// <summary>
/// Release of 4.c, item by item: each Strict preset rule the containment widened goes back to its journaled
/// recipients, exceptions and state (switched off first when it was off, so it never protects everyone on the way),
/// and the default outbound spam policy back to its journaled limits. An item not as the containment left it (someone
/// changed the rule or the policy since) is shown and left as it is.
/// </summary>
/// <remarks>Exchange: Get-/Set-/Disable-/Enable-EOPProtectionPolicyRule (and ATP), Get-/Set-HostedOutboundSpamFilterPolicy, as 4.c.</remarks>
public sealed class RestoreAntiSpamSettings(IExchangeOnline exchange) : IReleaseAction
{
    private const string Preset = "strict-preset";
    private const string Outbound = "outbound-spam";
    private const string OutboundPolicy = "Default";

    public ActionId Id { get; } = ActionId.Parse("4.c");

    /// <summary>"strict-preset:EOP", "strict-preset:ATP" for each rule the containment changed, then "outbound-spam" if it changed the policy.</summary>
    public IReadOnlyList<string?> Items(OriginalStep original)
    {
        var after = Presets(original.After).ToDictionary(p => p.Kind);
        var items = Presets(original.Before).Where(p => after.TryGetValue(p.Kind, out var left) && !p.SameScope(left)).Select(p => (string?)$"{Preset}:{p.Kind}").ToList();
        if (OutboundOf(original.Before) is { } before && OutboundOf(original.After) is { } left && before != left)
        {
            items.Add(Outbound);
        }

        return items;
    }

    public async Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken)
    {
        var evidence = new List<Evidence> { new("Containment entry", original.EntryId) };
        if (step.Item == Outbound)
        {
            var (before, after, now) = (OutboundOf(original.Before)!, OutboundOf(original.After)!, await ReadOutboundAsync(cancellationToken));
            evidence.AddRange([new("Before the containment", before.Describe()), new("After the containment", after.Describe()), new("Now", now.Describe())]);
            return now != after
                ? Plans.NothingToDo(step.Step, "The outbound spam policy changed since the containment: left as it is.", evidence, null,
                    ["Changed since the containment: the outbound spam policy is not as the containment left it. Nothing is overwritten."])
                : Plans.Change(step.Step, "Put the outbound spam policy back as it was before the containment.", evidence,
                    [new RestoreOutboundSpamPolicy(OutboundPolicy, $"Outbound spam policy \"{OutboundPolicy}\" back to: {before.Describe()}",
                        before.ExternalPerHour, before.InternalPerHour, before.PerDay, before.Action, before.Notify, before.NotifyRecipients)],
                    ["Higher limits let a compromised account send more before it is stopped: keep the containment's limits unless they block legitimate mail."]);
        }

        var kind = step.Item![(Preset.Length + 1)..];
        var (was, left) = (Presets(original.Before).First(p => p.Kind == kind), Presets(original.After).First(p => p.Kind == kind));
        var current = await ReadPresetAsync(kind, was.Identity, cancellationToken);
        evidence.AddRange([new("Before the containment", was.Describe()), new("After the containment", left.Describe()), new("Now", current?.Describe() ?? "the rule is gone")]);
        return current is null
            ? Plans.NothingToDo(step.Step, $"The {kind} Strict preset rule is gone: nothing to restore.", evidence)
            : !current.SameScope(left)
                ? Plans.NothingToDo(step.Step, $"The {kind} Strict preset rule changed since the containment: left as it is.", evidence, null,
                    [$"Changed since the containment: {current.Describe()} (the containment left {left.Describe()}). Nothing is overwritten."])
                : Plans.Change(step.Step, $"Put the {kind} Strict preset rule back as it was before the containment.", evidence,
                    [new RestorePresetRule(kind, $"Strict preset ({kind} rule \"{was.Identity}\") back to: {was.Describe()}", was.Identity, was.SentTo, was.ExceptIfSentTo, was.Enabled)],
                    ["The at-risk users lose the Strict preset's protection: keep it unless it blocks legitimate mail."]);
    }

    public async Task<ApplyResult> ApplyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var change = plan.Changes.Single();
        var result = await Results.RunChangeAsync(change, () => change switch
        {
            RestorePresetRule preset => RestorePresetAsync(preset, cancellationToken),
            RestoreOutboundSpamPolicy outbound => RestoreOutboundAsync(outbound, cancellationToken),
            _ => throw new InvalidOperationException($"The release of 4.c cannot apply '{change.Kind}'."),
        });
        return Results.From(step.Step, [result], change.Description, null, null, plan.Warnings);
    }

    public async Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var change = plan.Changes.Single();
        var ok = change switch
        {
            RestorePresetRule preset => await ReadPresetAsync(preset.ResourceId, preset.Identity, cancellationToken) is { } now && Matches(now, preset),
            RestoreOutboundSpamPolicy outbound => await ReadOutboundAsync(cancellationToken) == Wanted(outbound),
            _ => false,
        };
        return ok ? Results.Verified(step.Step, change.Description) : Results.Mismatch(step.Step, $"Not as planned: {change.Description}.");
    }

    private async Task<ChangeOutcome> RestorePresetAsync(RestorePresetRule preset, CancellationToken cancellationToken)
    {
        var now = await ReadPresetAsync(preset.ResourceId, preset.Identity, cancellationToken)
            ?? throw new ExchangeCommandException($"Get-{preset.ResourceId}ProtectionPolicyRule", 404, "ManagementObjectNotFoundException", "NotFound", $"\"{preset.Identity}\" does not exist.", false);
        if (Matches(now, preset))
        {
            return ChangeOutcome.AlreadyDone;
        }

        // Off first when it was off: narrowing the recipients of a rule still on could, for a moment, make it protect everyone.
        if (!preset.Enabled && now.Enabled)
        {
            await exchange.InvokeAsync(ExchangeCommand.For($"Disable-{preset.ResourceId}ProtectionPolicyRule").With("Identity", preset.Identity), cancellationToken);
        }

        if (!Same(now.SentTo, preset.SentTo) || !Same(now.ExceptIfSentTo, preset.ExceptIfSentTo))
        {
            var command = ExchangeCommand.For($"Set-{preset.ResourceId}ProtectionPolicyRule").With("Identity", preset.Identity);
            await exchange.InvokeAsync(WithList(WithList(command, "SentTo", preset.SentTo), "ExceptIfSentTo", preset.ExceptIfSentTo), cancellationToken);
        }

        if (preset.Enabled && !now.Enabled)
        {
            await exchange.InvokeAsync(ExchangeCommand.For($"Enable-{preset.ResourceId}ProtectionPolicyRule").With("Identity", preset.Identity), cancellationToken);
        }

        return ChangeOutcome.Done;
    }

    private async Task<ChangeOutcome> RestoreOutboundAsync(RestoreOutboundSpamPolicy outbound, CancellationToken cancellationToken)
    {
        if (await ReadOutboundAsync(cancellationToken) == Wanted(outbound))
        {
            return ChangeOutcome.AlreadyDone;
        }

        return Mail.OutcomeOf(await exchange.InvokeAsync(WithList(ExchangeCommand.For("Set-HostedOutboundSpamFilterPolicy").With("Identity", outbound.ResourceId)
            .With("RecipientLimitExternalPerHour", outbound.ExternalPerHour).With("RecipientLimitInternalPerHour", outbound.InternalPerHour)
            .With("RecipientLimitPerDay", outbound.PerDay).With("ActionWhenThresholdReached", outbound.Action).With("NotifyOutboundSpam", outbound.Notify),
            "NotifyOutboundSpamRecipients", outbound.NotifyRecipients), cancellationToken));
    }

    /// <summary>List parameters replace the list; $null clears it, as 4.c does.</summary>
    private static ExchangeCommand WithList(ExchangeCommand command, string name, IReadOnlyList<string> values) =>
        values.Count == 0 ? command.With(name, (string?)null) : command.With(name, values);

    private static bool Matches(PresetView now, RestorePresetRule preset) =>
        now.Enabled == preset.Enabled && Same(now.SentTo, preset.SentTo) && Same(now.ExceptIfSentTo, preset.ExceptIfSentTo);

    private static OutboundView Wanted(RestoreOutboundSpamPolicy o) => new(o.ExternalPerHour, o.InternalPerHour, o.PerDay, o.Action, o.Notify, o.NotifyRecipients);

    private async Task<PresetView?> ReadPresetAsync(string kind, string identity, CancellationToken cancellationToken)
    {
        try
        {
            var rule = (await exchange.InvokeAsync(ExchangeCommand.For($"Get-{kind}ProtectionPolicyRule").With("Identity", identity), cancellationToken)).FirstOrDefault();
            return rule.ValueKind == JsonValueKind.Object ? PresetView.Of(kind, rule, "Identity", "State", p => p) : null;
        }
        catch (ExchangeCommandException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    private async Task<OutboundView> ReadOutboundAsync(CancellationToken cancellationToken)
    {
        var p = (await exchange.InvokeAsync(ExchangeCommand.For("Get-HostedOutboundSpamFilterPolicy").With("Identity", OutboundPolicy), cancellationToken)).Single();
        return new(Mail.Int(p, "RecipientLimitExternalPerHour") ?? 0, Mail.Int(p, "RecipientLimitInternalPerHour") ?? 0, Mail.Int(p, "RecipientLimitPerDay") ?? 0,
            Mail.Str(p, "ActionWhenThresholdReached") ?? "?", Mail.Bool(p, "NotifyOutboundSpam") == true, Mail.Strings(p, "NotifyOutboundSpamRecipients"));
    }

    /// <summary>4.c journals { presets: [{ kind, identity, state, sentTo, … }], outbound: { externalPerHour, … } }.</summary>
    private static IEnumerable<PresetView> Presets(JsonElement? state) =>
        OriginalStep.Property(state, "presets") is { ValueKind: JsonValueKind.Array } presets
            ? presets.EnumerateArray().Select(p => PresetView.Of(Mail.Str(p, "kind") ?? "?", p, "identity", "state", Camel))
            : [];

    private static OutboundView? OutboundOf(JsonElement? state) =>
        OriginalStep.Property(state, "outbound") is { ValueKind: JsonValueKind.Object } o
            ? new(Mail.Int(o, "externalPerHour") ?? 0, Mail.Int(o, "internalPerHour") ?? 0, Mail.Int(o, "perDay") ?? 0, Mail.Str(o, "action") ?? "?",
                Mail.Bool(o, "notify") == true, Mail.Strings(o, "notifyRecipients"))
            : null;

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static bool Same(IReadOnlyList<string> a, IReadOnlyList<string> b) => AntiSpamViews.Same(a, b);
}
