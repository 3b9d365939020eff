using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.MailDataLeak;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.SpamRelay;

/// <summary>The default outbound spam policy (<c>resourceId</c>) brought to the configured limits, blocking the sender over them and notifying administrators.</summary>
public sealed record RestrictOutboundSpam(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>The outbound spam policy as 4.c reads it (and journals it).</summary>
public sealed record OutboundSpam(int ExternalPerHour, int InternalPerHour, int PerDay, string Action, bool Notify, IReadOnlyList<string> NotifyRecipients)
{
    public string Describe() =>
        $"limits external/h {ExternalPerHour}, internal/h {InternalPerHour}, per day {PerDay} (0 = service default); over the limit: {Action}; notify admins: {(Notify ? "yes" : "no")}";
}

/// <summary>
/// 4.c's outbound half: the default outbound spam policy's recipient limits are only ever lowered, never raised (0, the
/// service's own highest default, counts as above); over them the sender is blocked and administrators notified.
/// </summary>
/// <remarks>Exchange: Get-/Set-HostedOutboundSpamFilterPolicy. NotifyOutboundSpam/NotifyOutboundSpamRecipients are superseded by
/// the default alert policy "User restricted from sending email" (Set-HostedOutboundSpamFilterPolicy reference): kept for
/// tenants that still read them, and the plan asks the responder to confirm that alert policy (it lives in Security &amp;
/// Compliance PowerShell, Get-ProtectionAlert, not on the Exchange Online endpoint this client speaks).</remarks>
internal sealed class OutboundSpamPolicy(IExchangeOnline exchange, IOptions<ContainmentPolicy> policy)
{
    public const string Identity = "Default";

    private OutboundSpamLimits Limits => policy.Value.Mail.OutboundSpam;

    public async Task<OutboundSpam> ReadAsync(CancellationToken cancellationToken)
    {
        var outbound = (await exchange.InvokeAsync(ExchangeCommand.For("Get-HostedOutboundSpamFilterPolicy").With("Identity", Identity), cancellationToken)).Single();
        return new OutboundSpam(
            Mail.Int(outbound, "RecipientLimitExternalPerHour") ?? 0, Mail.Int(outbound, "RecipientLimitInternalPerHour") ?? 0, Mail.Int(outbound, "RecipientLimitPerDay") ?? 0,
            Mail.Str(outbound, "ActionWhenThresholdReached") ?? "?", Mail.Bool(outbound, "NotifyOutboundSpam") == true, Mail.Strings(outbound, "NotifyOutboundSpamRecipients"));
    }

    /// <summary>The change, or null when the policy is within the limits already.</summary>
    public RestrictOutboundSpam? Plan(OutboundSpam current) =>
        Gaps(current) is { Count: > 0 } gaps ? new RestrictOutboundSpam(Identity, $"In the outbound spam policy: {string.Join("; ", gaps)}") : null;

    public async Task<ChangeOutcome> ApplyAsync(OutboundSpam current, CancellationToken cancellationToken)
    {
        if (Gaps(current).Count == 0)
        {
            return ChangeOutcome.AlreadyDone;
        }

        var limits = Limits;
        var command = ExchangeCommand.For("Set-HostedOutboundSpamFilterPolicy").With("Identity", Identity)
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

    /// <summary>What separates the policy from the configured limits, in words (none when it is within them).</summary>
    public List<string> Gaps(OutboundSpam current)
    {
        var limits = Limits;
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
}
