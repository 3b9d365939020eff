using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.MailDataLeak;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.SpamRelay;

/// <summary>
/// One Strict preset rule (its kind, EOP or ATP, is <c>resourceId</c>) widened to the listed at-risk users: added to its
/// recipients (<see cref="Add"/>), taken out of its exceptions (<see cref="Unexcept"/>), and switched on if it is off.
/// </summary>
public sealed record ApplyStrictPreset(string ResourceId, string Description, IReadOnlyList<string> Add, IReadOnlyList<string> Unexcept)
    : PlannedChange(ResourceId, Description)
{
    /// <summary>The users the approver approved bringing under the rule.</summary>
    [JsonIgnore]
    public IEnumerable<string> Users => Add.Concat(Unexcept);
}

/// <summary>
/// 4.c's Strict preset half: reads the preset's rules (Get-EOPProtectionPolicyRule and, with Defender for Office 365,
/// Get-ATPProtectionPolicyRule) and widens one so it protects the at-risk users and nobody fewer (<see cref="PresetRuleScope"/>).
/// The rules only exist once the preset was configured (portal or New-EOPProtectionPolicyRule): absent, they are reported, not created.
/// </summary>
internal sealed class StrictPreset(IExchangeOnline exchange, IOptions<ContainmentPolicy> policy)
{
    private MailContainment Settings => policy.Value.Mail;

    /// <summary>The preset's Exchange Online Protection rule, then its Defender for Office 365 rule (absent without that licence).</summary>
    private static readonly string[] Kinds = ["EOP", "ATP"];

    public async Task<IReadOnlyList<PresetRuleScope>> ReadAsync(CancellationToken cancellationToken)
    {
        var presets = new List<PresetRuleScope>();
        foreach (var kind in Kinds)
        {
            try
            {
                var rule = (await exchange.InvokeAsync(ExchangeCommand.For($"Get-{kind}ProtectionPolicyRule").With("Identity", Settings.StrictPresetRuleName), cancellationToken)).FirstOrDefault();
                if (rule.ValueKind == JsonValueKind.Object)
                {
                    presets.Add(PresetRuleScope.Read(kind, rule, Settings.StrictPresetRuleName));
                }
            }
            catch (ExchangeCommandException ex) when (ex.IsNotFound || (kind == "ATP" && ex.IsCommandNotFound))
            {
                // Never configured, or (ATP) no Defender for Office 365, whose cmdlets a tenant without the licence is not
                // offered: the reference leaves open whether Get errors or returns nothing; both are handled.
            }
        }

        return presets;
    }

    /// <summary>The change for one rule, or null when it protects the at-risk users already; what is left to a person goes to <paramref name="warnings"/>.</summary>
    public ApplyStrictPreset? Plan(PresetRuleScope preset, List<string> warnings)
    {
        var widening = preset.Widen(Settings.AtRiskUsers);
        warnings.AddRange(widening.Manual.Select(m => $"{preset.Kind} preset rule: cover by hand, without narrowing it, {m}."));
        return widening.ChangesSomething
            ? new ApplyStrictPreset(preset.Kind, Describe(preset, widening), widening.AddToSentTo, widening.RemoveFromExceptIfSentTo)
            : null;
    }

    /// <summary>
    /// Widens the rule as read before apply, for the approved users only: recomputed from that state, so a second run
    /// changes nothing and nobody covered is ever taken out.
    /// </summary>
    public async Task<ChangeOutcome> ApplyAsync(PresetRuleScope? preset, ApplyStrictPreset change, CancellationToken cancellationToken)
    {
        if (preset is null)
        {
            throw new ExchangeCommandException($"Get-{change.ResourceId}ProtectionPolicyRule", 404, "Microsoft.Exchange.Management.Tasks.ManagementObjectNotFoundException", "NotFound",
                $"\"{Settings.StrictPresetRuleName}\" does not exist.", false);
        }

        var widening = preset.Widen([.. change.Users]);
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

    /// <summary>Whether the rule now protects every user the change named, and is on.</summary>
    public static bool InPlace(PresetRuleScope? preset, ApplyStrictPreset change) =>
        preset is { Enabled: true } && !change.Users.Any(u => preset.Protects(u) is false);

    private static string Describe(PresetRuleScope preset, PresetWidening widening)
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
}
