using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.SpamRelay;

/// <summary>What 4.c reads, plans from and journals: the Strict preset's rules and the default outbound spam policy.</summary>
public sealed record AntiSpamState(IReadOnlyList<PresetRuleScope> Presets, OutboundSpam Outbound);

/// <summary>
/// 4.c — Against recurrence: put the configured at-risk users under the Strict preset security policy (and switch it
/// on), and bring the default outbound spam policy back to the configured recipient limits, blocking the sender over
/// them and notifying administrators. Limits are only lowered, never raised; coverage is only ever widened.
/// </summary>
/// <remarks>The two halves: <see cref="StrictPreset"/> (Get-/Set-/Enable-EOPProtectionPolicyRule and, with Defender for
/// Office 365, the ATP ones) and <see cref="OutboundSpamPolicy"/> (Get-/Set-HostedOutboundSpamFilterPolicy).</remarks>
public sealed class StrengthenAntiSpam(IExchangeOnline exchange, IOptions<ContainmentPolicy> policy, ChangeRunner runner)
    : ContainmentAction<AntiSpamState>(runner)
{
    private readonly StrictPreset _preset = new(exchange, policy);
    private readonly OutboundSpamPolicy _outbound = new(exchange, policy);

    public override ActionId Id { get; } = ActionId.Parse("4.c");

    protected internal override async Task<AntiSpamState> ReadAsync(StepContext step, CancellationToken cancellationToken) =>
        new(await _preset.ReadAsync(cancellationToken), await _outbound.ReadAsync(cancellationToken));

    protected override ActionPlan Plan(StepContext step, AntiSpamState state, GuardVerdict verdict)
    {
        var mail = policy.Value.Mail;
        var evidence = new List<Evidence>();
        var warnings = new List<string>();
        var changes = new List<PlannedChange>();
        if (mail.AtRiskUsers.Count == 0)
        {
            warnings.Add("No at-risk users are configured (Mail.AtRiskUsers): the Strict preset is left as it is.");
        }
        else if (state.Presets.Count == 0)
        {
            warnings.Add($"The rule \"{mail.StrictPresetRuleName}\" does not exist: configure the Strict preset once in the Defender portal (presetSecurityPolicies), then run 4.c again.");
        }
        else
        {
            foreach (var preset in state.Presets)
            {
                evidence.Add(new Evidence($"{preset.Kind} preset rule \"{preset.Identity}\"", preset.Describe()));
                if (_preset.Plan(preset, warnings) is { } change)
                {
                    changes.Add(change);
                }
            }
        }

        evidence.Add(new Evidence($"Outbound spam policy \"{OutboundSpamPolicy.Identity}\"", state.Outbound.Describe()));
        warnings.Add("NotifyOutboundSpam is superseded by the default alert policy \"User restricted from sending email\": confirm in the Defender portal (Policies & rules > Alert policy) that it is on and notifies the administrators.");
        if (_outbound.Plan(state.Outbound) is { } restrict)
        {
            changes.Add(restrict);
        }

        var before = Snapshot.Of(state);
        return changes.Count == 0
            ? Plans.NothingToDo(step, "The Strict preset covers the at-risk users and the outbound spam limits are in place.", evidence, before, warnings)
            : Plans.Change(step, "Strengthen the anti-spam configuration.", evidence, changes, warnings, before);
    }

    protected internal override Task<ChangeOutcome> ApplyChangeAsync(StepContext step, AntiSpamState before, PlannedChange change, CancellationToken cancellationToken) => change switch
    {
        ApplyStrictPreset preset => _preset.ApplyAsync(before.Presets.FirstOrDefault(p => p.Kind == preset.ResourceId), preset, cancellationToken),
        RestrictOutboundSpam => _outbound.ApplyAsync(before.Outbound, cancellationToken),
        _ => throw new InvalidOperationException($"4.c does not make '{change.Kind}' changes."),
    };

    /// <summary>Both changes add protection: a preset rule or outbound policy gone (404) leaves nobody protected, it is not "done".</summary>
    protected internal override bool GoneMeansDone(PlannedChange change) => false;

    protected internal override string Summarize(StepContext step, AntiSpamState before, AntiSpamState after, IReadOnlyList<ChangeResult> results) =>
        $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} anti-spam change(s) made.";

    /// <summary>The plan's warnings stand after apply too: what is left to a person is still left.</summary>
    protected internal override IReadOnlyList<string> ApplyWarnings(ActionPlan plan, AntiSpamState before, IReadOnlyList<ChangeResult> results) => plan.Warnings;

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var state = await ReadAsync(step, cancellationToken);
        var problems = new List<string>();
        foreach (var change in plan.Changes.OfType<ApplyStrictPreset>())
        {
            if (!StrictPreset.InPlace(state.Presets.FirstOrDefault(p => p.Kind == change.ResourceId), change))
            {
                problems.Add($"the Strict preset's {change.ResourceId} rule does not protect every at-risk user it should, or is off");
            }
        }

        if (plan.Changes.Any(c => c is RestrictOutboundSpam) && _outbound.Gaps(state.Outbound) is { Count: > 0 } gaps)
        {
            problems.Add("outbound spam policy: " + string.Join("; ", gaps));
        }

        return problems.Count == 0 ? Results.Verified(step, "Strict preset and outbound spam limits are in place.") : Results.Mismatch(step, string.Join("; ", problems) + ".");
    }
}
