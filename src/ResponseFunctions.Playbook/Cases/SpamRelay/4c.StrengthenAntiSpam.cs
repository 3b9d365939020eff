using System.Text.Json;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.MailDataLeak;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.SpamRelay;

/// <summary>
/// 4.c — Against recurrence: put the configured at-risk users under the Strict preset security policy (and switch it
/// on), and bring the default outbound spam policy back to the configured recipient limits, blocking the sender over
/// them and notifying administrators. Limits are only lowered, never raised; 0 (the service's own, highest, default) counts as above.
/// </summary>
/// <remarks>Exchange: Get-/Set-/Enable-EOPProtectionPolicyRule, Get-/Set-HostedOutboundSpamFilterPolicy. The preset's
/// rule only exists once the preset was configured (portal or New-EOPProtectionPolicyRule): absent, it is reported, not created.</remarks>
public sealed class StrengthenAntiSpam(IExchangeOnline exchange, IOptions<ContainmentPolicy> policy) : IContainmentAction
{
    private const string StrictPreset = "apply-strict-preset";
    private const string OutboundLimits = "restrict-outbound-spam";
    private const string OutboundPolicy = "Default";

    public ActionId Id { get; } = ActionId.Parse("4.c");

    private MailContainment Settings => policy.Value.Mail;

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var state = await ReadAsync(cancellationToken);
        var evidence = new List<Evidence>();
        var warnings = new List<string>();
        var changes = new List<PlannedChange>();
        if (Settings.AtRiskUsers.Count == 0)
        {
            warnings.Add("No at-risk users are configured (Mail.AtRiskUsers): the Strict preset is left as it is.");
        }
        else if (state.Preset is null)
        {
            warnings.Add($"The rule \"{Settings.StrictPresetRuleName}\" does not exist: configure the Strict preset once in the Defender portal (presetSecurityPolicies), then run 4.c again.");
        }
        else
        {
            var missing = MissingUsers(state.Preset);
            evidence.Add(new Evidence($"Preset rule \"{Settings.StrictPresetRuleName}\"", $"{state.Preset.State}; applies to: {(state.Preset.SentTo.Count == 0 ? "nobody" : string.Join(", ", state.Preset.SentTo))}"));
            if (missing.Count > 0 || state.Preset.State != "Enabled")
            {
                changes.Add(new PlannedChange(StrictPreset, Settings.StrictPresetRuleName,
                    $"Apply the Strict preset to {string.Join(", ", Settings.AtRiskUsers)} and switch it on", Mail.Params(("add", Mail.Join(missing)))));
            }
        }

        var outbound = state.Outbound;
        evidence.Add(new Evidence($"Outbound spam policy \"{OutboundPolicy}\"", outbound.Describe()));
        var gaps = OutboundGaps(outbound);
        if (gaps.Count > 0)
        {
            changes.Add(new PlannedChange(OutboundLimits, OutboundPolicy, $"In the outbound spam policy: {string.Join("; ", gaps)}"));
        }

        var before = Snapshot.Of(state);
        return changes.Count == 0
            ? Plans.NothingToDo(step, "The Strict preset covers the at-risk users and the outbound spam limits are in place.", evidence, before, warnings)
            : Plans.Change(step, "Strengthen the anti-spam configuration.", evidence, changes, warnings, before);
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var before = await ReadAsync(cancellationToken);
        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes)
        {
            results.Add(await Results.RunChangeAsync(change, () => change.Kind switch
            {
                StrictPreset => ApplyPresetAsync(before.Preset, cancellationToken),
                OutboundLimits => ApplyOutboundAsync(before.Outbound, cancellationToken),
                _ => throw new InvalidOperationException($"4.c cannot apply '{change.Kind}'."),
            }));
        }

        var after = await ReadAsync(cancellationToken);
        return Results.From(step, results, $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} anti-spam change(s) made.", Snapshot.Of(before), Snapshot.Of(after), plan.Warnings);
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var state = await ReadAsync(cancellationToken);
        var problems = new List<string>();
        if (plan.Changes.Any(c => c.Kind == StrictPreset) && (state.Preset is null || state.Preset.State != "Enabled" || MissingUsers(state.Preset).Count > 0))
        {
            problems.Add("the Strict preset does not cover every at-risk user or is off");
        }

        if (plan.Changes.Any(c => c.Kind == OutboundLimits) && OutboundGaps(state.Outbound).Count > 0)
        {
            problems.Add("outbound spam policy: " + string.Join("; ", OutboundGaps(state.Outbound)));
        }

        return problems.Count == 0 ? Results.Verified(step, "Strict preset and outbound spam limits are in place.") : Results.Mismatch(step, string.Join("; ", problems) + ".");
    }

    private async Task<ChangeOutcome> ApplyPresetAsync(PresetRule? preset, CancellationToken cancellationToken)
    {
        if (preset is null)
        {
            throw new ExchangeCommandException("Get-EOPProtectionPolicyRule", 404, "ManagementObjectNotFoundException", "NotSpecified", $"\"{Settings.StrictPresetRuleName}\" does not exist.", false);
        }

        var outcome = ChangeOutcome.AlreadyDone;
        var missing = MissingUsers(preset);
        if (missing.Count > 0)
        {
            // -SentTo replaces the list: the users already covered are sent again.
            outcome = Mail.OutcomeOf(await exchange.InvokeAsync(ExchangeCommand.For("Set-EOPProtectionPolicyRule").With("Identity", preset.Identity)
                .With("SentTo", [.. preset.SentTo, .. missing]), cancellationToken));
        }

        if (preset.State != "Enabled")
        {
            await exchange.InvokeAsync(ExchangeCommand.For("Enable-EOPProtectionPolicyRule").With("Identity", preset.Identity), cancellationToken);
            outcome = ChangeOutcome.Done;
        }

        return outcome;
    }

    private async Task<ChangeOutcome> ApplyOutboundAsync(Outbound current, CancellationToken cancellationToken)
    {
        if (OutboundGaps(current).Count == 0)
        {
            return ChangeOutcome.AlreadyDone;
        }

        var limits = Settings.OutboundSpam;
        var command = ExchangeCommand.For("Set-HostedOutboundSpamFilterPolicy").With("Identity", OutboundPolicy)
            .With("RecipientLimitExternalPerHour", Lower(current.ExternalPerHour, limits.RecipientLimitExternalPerHour))
            .With("RecipientLimitInternalPerHour", Lower(current.InternalPerHour, limits.RecipientLimitInternalPerHour))
            .With("RecipientLimitPerDay", Lower(current.PerDay, limits.RecipientLimitPerDay))
            .With("ActionWhenThresholdReached", limits.ActionWhenThresholdReached)
            .With("NotifyOutboundSpam", true);
        if (limits.NotifyRecipients.Count > 0)
        {
            command = command.With("NotifyOutboundSpamRecipients", current.NotifyRecipients.Union(limits.NotifyRecipients, StringComparer.OrdinalIgnoreCase));
        }

        return Mail.OutcomeOf(await exchange.InvokeAsync(command, cancellationToken));
    }

    private List<string> OutboundGaps(Outbound current)
    {
        var limits = Settings.OutboundSpam;
        var gaps = new List<string>();
        foreach (var (value, wanted, name) in new[]
                 {
                     (current.ExternalPerHour, limits.RecipientLimitExternalPerHour, "external recipients per hour"),
                     (current.InternalPerHour, limits.RecipientLimitInternalPerHour, "internal recipients per hour"),
                     (current.PerDay, limits.RecipientLimitPerDay, "recipients per day"),
                 })
        {
            if (Lower(value, wanted) != value)
            {
                gaps.Add($"{name} {(value == 0 ? "service default" : value)} → {wanted}");
            }
        }

        if (!string.Equals(current.Action, limits.ActionWhenThresholdReached, StringComparison.OrdinalIgnoreCase))
        {
            gaps.Add($"over the limit: {current.Action} → {limits.ActionWhenThresholdReached}");
        }

        if (!current.Notify)
        {
            gaps.Add("notify administrators");
        }

        var missing = limits.NotifyRecipients.Except(current.NotifyRecipients, StringComparer.OrdinalIgnoreCase).ToList();
        if (missing.Count > 0)
        {
            gaps.Add($"notify {string.Join(", ", missing)}");
        }

        return gaps;
    }

    /// <summary>Never raises a limit someone set lower; 0 is the service default, the highest.</summary>
    private static int Lower(int current, int wanted) => current == 0 || current > wanted ? wanted : current;

    private List<string> MissingUsers(PresetRule preset) => [.. Settings.AtRiskUsers.Where(u => !preset.SentTo.Any(s => Mail.SameAddress(s, u)))];

    private async Task<AntiSpamState> ReadAsync(CancellationToken cancellationToken)
    {
        PresetRule? preset = null;
        try
        {
            var rule = (await exchange.InvokeAsync(ExchangeCommand.For("Get-EOPProtectionPolicyRule").With("Identity", Settings.StrictPresetRuleName), cancellationToken)).FirstOrDefault();
            preset = rule.ValueKind == JsonValueKind.Object
                ? new PresetRule(Mail.Str(rule, "Identity") ?? Settings.StrictPresetRuleName, Mail.Str(rule, "State") ?? "?", Mail.Strings(rule, "SentTo"))
                : null;
        }
        catch (ExchangeCommandException ex) when (ex.IsNotFound)
        {
            // The preset was never configured: reported by the plan (the reference leaves open whether Get errors or returns nothing; both are handled).
        }

        var outbound = (await exchange.InvokeAsync(ExchangeCommand.For("Get-HostedOutboundSpamFilterPolicy").With("Identity", OutboundPolicy), cancellationToken)).Single();
        return new AntiSpamState(preset, new Outbound(
            Mail.Int(outbound, "RecipientLimitExternalPerHour") ?? 0, Mail.Int(outbound, "RecipientLimitInternalPerHour") ?? 0, Mail.Int(outbound, "RecipientLimitPerDay") ?? 0,
            Mail.Str(outbound, "ActionWhenThresholdReached") ?? "?", Mail.Bool(outbound, "NotifyOutboundSpam") == true, Mail.Strings(outbound, "NotifyOutboundSpamRecipients")));
    }

    private sealed record AntiSpamState(PresetRule? Preset, Outbound Outbound);

    private sealed record PresetRule(string Identity, string State, IReadOnlyList<string> SentTo);

    private sealed record Outbound(int ExternalPerHour, int InternalPerHour, int PerDay, string Action, bool Notify, IReadOnlyList<string> NotifyRecipients)
    {
        public string Describe() =>
            $"limits external/h {ExternalPerHour}, internal/h {InternalPerHour}, per day {PerDay} (0 = service default); over the limit: {Action}; notify admins: {(Notify ? "yes" : "no")}";
    }
}
