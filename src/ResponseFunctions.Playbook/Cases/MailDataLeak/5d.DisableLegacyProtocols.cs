using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.MailDataLeak;

/// <summary>POP, IMAP and SMTP AUTH off on one mailbox (the resource is its address).</summary>
public sealed record DisableMailboxLegacyProtocols(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>An allow-listed mailbox that followed the organisation's SMTP AUTH setting given an explicit exception first.</summary>
public sealed record KeepSmtpAuthException(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>SMTP AUTH off for the whole organisation (Set-TransportConfig).</summary>
public sealed record DisableTenantSmtpAuth(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>
/// 5.d — Turn off POP, IMAP and SMTP AUTH: on every mailbox but the allow-listed ones (justified business need), and
/// SMTP AUTH for the whole organisation. An allow-listed mailbox that only followed the organisation's setting is
/// given an explicit SMTP AUTH exception first, so the tenant switch does not cut it off.
/// </summary>
/// <remarks>Exchange: Get-/Set-CASMailbox, Get-/Set-TransportConfig -SmtpClientAuthenticationDisabled. Permissions: the catalog row.</remarks>
public sealed class DisableLegacyProtocols(IExchangeOnline exchange, TenantGuard guard, IOptions<ContainmentPolicy> policy, ChangeRunner runner)
    : ContainmentAction<LegacyProtocols>(runner)
{
    public override ActionId Id { get; } = ActionId.Parse("5.d");

    protected internal override Task<LegacyProtocols> ReadAsync(StepContext step, CancellationToken cancellationToken) => LegacyProtocols.ReadAsync(exchange, cancellationToken);

    protected override ActionPlan Plan(StepContext step, LegacyProtocols state, GuardVerdict verdict)
    {
        var allowed = policy.Value.Mail.LegacyProtocolAllowList;
        var evidence = new List<Evidence> { new("Organisation SMTP AUTH", state.TenantSmtpAuthDisabled ? "disabled" : "ENABLED") };
        var changes = new List<PlannedChange>();
        var warnings = new List<string>();
        foreach (var mailbox in state.Mailboxes)
        {
            if (mailbox.UserId is { } id && !guard.CheckPrincipal(new ActionTarget(TargetKind.Mailbox, id, mailbox.Upn)).Allowed)
            {
                continue;
            }

            if (allowed.Any(a => Mail.SameAddress(a, mailbox.Upn)))
            {
                evidence.Add(new Evidence($"{mailbox.Upn} (allow-listed)", mailbox.Describe()));
                if (!state.TenantSmtpAuthDisabled && mailbox.SmtpAuthDisabled is null)
                {
                    changes.Add(new KeepSmtpAuthException(mailbox.Upn, $"Keep SMTP AUTH for the allow-listed {mailbox.Upn} (explicit exception before the organisation switch)"));
                }

                continue;
            }

            if (mailbox.Legacy.Count > 0)
            {
                evidence.Add(new Evidence(mailbox.Upn, mailbox.Describe()));
                changes.Add(new DisableMailboxLegacyProtocols(mailbox.Upn, $"Turn off {string.Join(", ", mailbox.Legacy)} on {mailbox.Upn}"));
            }
        }

        if (!state.TenantSmtpAuthDisabled)
        {
            changes.Add(new DisableTenantSmtpAuth("organization", "Disable SMTP AUTH for the organisation (Set-TransportConfig -SmtpClientAuthenticationDisabled $true)"));
        }

        if (allowed.Count > 0)
        {
            warnings.Add($"Kept for their business need: {string.Join(", ", allowed)}. Watch their legacy-protocol sign-ins.");
        }

        var before = Snapshot.Of(state);
        return changes.Count == 0
            ? Plans.NothingToDo(step, "POP, IMAP and SMTP AUTH are already off outside the allow-list.", evidence, before, warnings)
            : Plans.Change(step, $"Turn off legacy protocols on {changes.Count(c => c is DisableMailboxLegacyProtocols)} mailbox(es){(state.TenantSmtpAuthDisabled ? string.Empty : " and SMTP AUTH for the organisation")}.",
                evidence, changes, warnings, before);
    }

    /// <summary>Each change against the state read at apply: what is in place already sends nothing.</summary>
    protected internal override async Task<ChangeOutcome> ApplyChangeAsync(StepContext step, LegacyProtocols before, PlannedChange change, CancellationToken cancellationToken)
    {
        var current = before.Mailboxes.FirstOrDefault(m => m.Upn == change.ResourceId);
        var command = change switch
        {
            DisableMailboxLegacyProtocols when current is { Legacy.Count: 0 } => null,
            DisableMailboxLegacyProtocols => SetCasMailbox(change.ResourceId).With("PopEnabled", false).With("ImapEnabled", false).With("SmtpClientAuthenticationDisabled", true),
            KeepSmtpAuthException when current?.SmtpAuthDisabled is not null => null,
            KeepSmtpAuthException => SetCasMailbox(change.ResourceId).With("SmtpClientAuthenticationDisabled", false),
            DisableTenantSmtpAuth when before.TenantSmtpAuthDisabled => null,
            DisableTenantSmtpAuth => ExchangeCommand.For("Set-TransportConfig").With("SmtpClientAuthenticationDisabled", true),
            _ => throw new InvalidOperationException($"5.d has no change of kind {change.Kind}."),
        };
        return command is null ? ChangeOutcome.AlreadyDone : Mail.OutcomeOf(await exchange.InvokeAsync(command, cancellationToken));
    }

    protected internal override string Summarize(StepContext step, LegacyProtocols before, LegacyProtocols after, IReadOnlyList<ChangeResult> results) =>
        $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} protocol change(s) made.";

    protected internal override IReadOnlyList<string> ApplyWarnings(ActionPlan plan, LegacyProtocols before, IReadOnlyList<ChangeResult> results) => plan.Warnings;

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(step, cancellationToken);
        var left = plan.Changes.Where(c => c switch
        {
            DisableMailboxLegacyProtocols => current.Mailboxes.Any(m => m.Upn == c.ResourceId && m.Legacy.Count > 0),
            DisableTenantSmtpAuth => !current.TenantSmtpAuthDisabled,
            _ => current.Mailboxes.Any(m => m.Upn == c.ResourceId && m.SmtpAuthDisabled is null),
        }).Select(c => c.Description).ToList();
        return left.Count == 0 ? Results.Verified(step, "POP, IMAP and SMTP AUTH are off outside the allow-list.") : Results.Mismatch(step, $"Not in place: {string.Join("; ", left)}.");
    }

    private static ExchangeCommand SetCasMailbox(string upn) => ExchangeCommand.For("Set-CASMailbox").AnchoredTo(upn).With("Identity", upn);
}
