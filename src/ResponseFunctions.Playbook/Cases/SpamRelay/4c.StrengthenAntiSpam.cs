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
/// <remarks>Exchange: Get-/Set-/Enable-EOPProtectionPolicyRule and, with Defender for Office 365, the preset's own
/// Get-/Set-/Enable-ATPProtectionPolicyRule; Get-/Set-HostedOutboundSpamFilterPolicy. The preset's rules only exist once
/// the preset was configured (portal or New-EOPProtectionPolicyRule): absent, they are reported, not created. Coverage
/// is only ever widened (<see cref="PresetRuleScope"/>: no condition means everyone, conditions of different kinds AND).
/// NotifyOutboundSpam/NotifyOutboundSpamRecipients are superseded by the default alert policy "User restricted from
/// sending email" (Set-HostedOutboundSpamFilterPolicy reference): kept for tenants that still read them, and the plan
/// asks the responder to confirm that alert policy (it lives in Security &amp; Compliance PowerShell, Get-ProtectionAlert,
/// not on the Exchange Online endpoint this client speaks).</remarks>
public sealed class StrengthenAntiSpam(IExchangeOnline exchange, IOptions<ContainmentPolicy> policy) : IContainmentAction
{
    private const string StrictPreset = "apply-strict-preset";
    private const string OutboundLimits = "restrict-outbound-spam";
    private const string OutboundPolicy = "Default";

    /// <summary>The preset's Exchange Online Protection rule, then its Defender for Office 365 rule (absent without that licence).</summary>
    private static readonly string[] PresetKinds = ["EOP", "ATP"];

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
        else if (state.Presets.Count == 0)
        {
            warnings.Add($"The rule \"{Settings.StrictPresetRuleName}\" does not exist: configure the Strict preset once in the Defender portal (presetSecurityPolicies), then run 4.c again.");
        }
        else
        {
            foreach (var preset in state.Presets)
            {
                var widening = preset.Widen(Settings.AtRiskUsers);
                evidence.Add(new Evidence($"{preset.Kind} preset rule \"{preset.Identity}\"", preset.Describe()));
                warnings.AddRange(widening.Manual.Select(m => $"{preset.Kind} preset rule: cover by hand, without narrowing it, {m}."));
                if (widening.ChangesSomething)
                {
                    changes.Add(new UntypedChange(StrictPreset, preset.Kind, PresetChangeText(preset, widening),
                        Mail.Params(("add", Mail.Join(widening.AddToSentTo)), ("unexcept", Mail.Join(widening.RemoveFromExceptIfSentTo)))));
                }
            }
        }

        var outbound = state.Outbound;
        evidence.Add(new Evidence($"Outbound spam policy \"{OutboundPolicy}\"", outbound.Describe()));
        var gaps = OutboundGaps(outbound);
        warnings.Add("NotifyOutboundSpam is superseded by the default alert policy \"User restricted from sending email\": confirm in the Defender portal (Policies & rules > Alert policy) that it is on and notifies the administrators.");
        if (gaps.Count > 0)
        {
            changes.Add(new UntypedChange(OutboundLimits, OutboundPolicy, $"In the outbound spam policy: {string.Join("; ", gaps)}"));
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
                StrictPreset => ApplyPresetAsync(before.Presets.FirstOrDefault(p => p.Kind == change.ResourceId), cancellationToken),
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
        foreach (var change in plan.Changes.Where(c => c.Kind == StrictPreset))
        {
            var preset = state.Presets.FirstOrDefault(p => p.Kind == change.ResourceId);
            var wanted = Mail.Split(change.Parameters()?.GetValueOrDefault("add") ?? "").Concat(Mail.Split(change.Parameters()?.GetValueOrDefault("unexcept") ?? ""));
            if (preset is null || !preset.Enabled || wanted.Any(u => preset.Protects(u) is false))
            {
                problems.Add($"the Strict preset's {change.ResourceId} rule does not protect every at-risk user it should, or is off");
            }
        }

        if (plan.Changes.Any(c => c.Kind == OutboundLimits) && OutboundGaps(state.Outbound).Count > 0)
        {
            problems.Add("outbound spam policy: " + string.Join("; ", OutboundGaps(state.Outbound)));
        }

        return problems.Count == 0 ? Results.Verified(step, "Strict preset and outbound spam limits are in place.") : Results.Mismatch(step, string.Join("; ", problems) + ".");
    }

    private async Task<ChangeOutcome> ApplyPresetAsync(PresetRuleScope? preset, CancellationToken cancellationToken)
    {
        if (preset is null)
        {
            throw new ExchangeCommandException("Get-EOPProtectionPolicyRule", 404, "Microsoft.Exchange.Management.Tasks.ManagementObjectNotFoundException", "NotFound", $"\"{Settings.StrictPresetRuleName}\" does not exist.", false);
        }

        // Recomputed from the state read now: a second run changes nothing, and nobody covered is ever taken out.
        var widening = preset.Widen(Settings.AtRiskUsers);
        var outcome = ChangeOutcome.AlreadyDone;
        if (widening.AddToSentTo.Count > 0 || widening.RemoveFromExceptIfSentTo.Count > 0)
        {
            // List parameters replace the list: the recipients already there are sent again.
            var command = ExchangeCommand.For($"Set-{preset.Kind}ProtectionPolicyRule").With("Identity", preset.Identity);
            if (widening.AddToSentTo.Count > 0)
            {
                command = command.With("SentTo", [.. preset.SentTo, .. widening.AddToSentTo]);
            }

            if (widening.RemoveFromExceptIfSentTo.Count > 0)
            {
                var kept = preset.ExceptIfSentTo.Where(a => !widening.RemoveFromExceptIfSentTo.Any(r => Mail.SameAddress(a, r))).ToList();
                command = kept.Count == 0 ? command.With("ExceptIfSentTo", (string?)null) : command.With("ExceptIfSentTo", kept);
            }

            outcome = Mail.OutcomeOf(await exchange.InvokeAsync(command, cancellationToken));
        }

        if (widening.Enable)
        {
            await exchange.InvokeAsync(ExchangeCommand.For($"Enable-{preset.Kind}ProtectionPolicyRule").With("Identity", preset.Identity), cancellationToken);
            outcome = ChangeOutcome.Done;
        }

        return outcome;
    }

    private static string PresetChangeText(PresetRuleScope preset, PresetWidening widening)
    {
        var parts = new List<string>();
        if (widening.AddToSentTo.Count > 0)
        {
            parts.Add($"add {string.Join(", ", widening.AddToSentTo)} to its recipients");
        }

        if (widening.RemoveFromExceptIfSentTo.Count > 0)
        {
            parts.Add($"stop excepting {string.Join(", ", widening.RemoveFromExceptIfSentTo)}");
        }

        if (widening.Enable)
        {
            parts.Add("switch it on");
        }

        return $"Strict preset ({preset.Kind} rule \"{preset.Identity}\"): {string.Join(", ", parts)}; nobody it protects today is taken out";
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

    private async Task<AntiSpamState> ReadAsync(CancellationToken cancellationToken)
    {
        var presets = new List<PresetRuleScope>();
        foreach (var kind in PresetKinds)
        {
            try
            {
                var rule = (await exchange.InvokeAsync(ExchangeCommand.For($"Get-{kind}ProtectionPolicyRule").With("Identity", Settings.StrictPresetRuleName), cancellationToken)).FirstOrDefault();
                if (rule.ValueKind == JsonValueKind.Object)
                {
                    presets.Add(PresetRuleScope.Read(kind, rule, Settings.StrictPresetRuleName));
                }
            }
            catch (ExchangeCommandException ex) when (ex.IsNotFound)
            {
                // Never configured, or (ATP) no Defender for Office 365: the reference leaves open whether Get errors or returns nothing; both are handled.
            }
        }

        var outbound = (await exchange.InvokeAsync(ExchangeCommand.For("Get-HostedOutboundSpamFilterPolicy").With("Identity", OutboundPolicy), cancellationToken)).Single();
        return new AntiSpamState(presets, new Outbound(
            Mail.Int(outbound, "RecipientLimitExternalPerHour") ?? 0, Mail.Int(outbound, "RecipientLimitInternalPerHour") ?? 0, Mail.Int(outbound, "RecipientLimitPerDay") ?? 0,
            Mail.Str(outbound, "ActionWhenThresholdReached") ?? "?", Mail.Bool(outbound, "NotifyOutboundSpam") == true, Mail.Strings(outbound, "NotifyOutboundSpamRecipients")));
    }

    private sealed record AntiSpamState(IReadOnlyList<PresetRuleScope> Presets, Outbound Outbound);

    private sealed record Outbound(int ExternalPerHour, int InternalPerHour, int PerDay, string Action, bool Notify, IReadOnlyList<string> NotifyRecipients)
    {
        public string Describe() =>
            $"limits external/h {ExternalPerHour}, internal/h {InternalPerHour}, per day {PerDay} (0 = service default); over the limit: {Action}; notify admins: {(Notify ? "yes" : "no")}";
    }
}
