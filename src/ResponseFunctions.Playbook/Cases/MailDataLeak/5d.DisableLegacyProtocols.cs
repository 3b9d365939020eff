using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.MailDataLeak;

/// <summary>
/// 5.d — Turn off POP, IMAP and SMTP AUTH: on every mailbox but the allow-listed ones (justified business need), and
/// SMTP AUTH for the whole organisation. An allow-listed mailbox that only followed the organisation's setting is
/// given an explicit SMTP AUTH exception first, so the tenant switch does not cut it off.
/// </summary>
/// <remarks>Exchange: Get-/Set-CASMailbox, Get-/Set-TransportConfig -SmtpClientAuthenticationDisabled.</remarks>
public sealed class DisableLegacyProtocols(IExchangeOnline exchange, TenantGuard guard, IOptions<ContainmentPolicy> policy) : IContainmentAction
{
    private const string DisableMailbox = "disable-mailbox-legacy-protocols";
    private const string KeepException = "keep-smtp-auth-exception";
    private const string DisableTenant = "disable-tenant-smtp-auth";

    public ActionId Id { get; } = ActionId.Parse("5.d");

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var state = await ReadAsync(cancellationToken);
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
                    changes.Add(new UntypedChange(KeepException, mailbox.Upn, $"Keep SMTP AUTH for the allow-listed {mailbox.Upn} (explicit exception before the organisation switch)"));
                }

                continue;
            }

            if (mailbox.Legacy.Count > 0)
            {
                evidence.Add(new Evidence(mailbox.Upn, mailbox.Describe()));
                changes.Add(new UntypedChange(DisableMailbox, mailbox.Upn, $"Turn off {string.Join(", ", mailbox.Legacy)} on {mailbox.Upn}"));
            }
        }

        if (!state.TenantSmtpAuthDisabled)
        {
            changes.Add(new UntypedChange(DisableTenant, "organization", "Disable SMTP AUTH for the organisation (Set-TransportConfig -SmtpClientAuthenticationDisabled $true)"));
        }

        if (allowed.Count > 0)
        {
            warnings.Add($"Kept for their business need: {string.Join(", ", allowed)}. Watch their legacy-protocol sign-ins.");
        }

        var before = Snapshot.Of(state);
        return changes.Count == 0
            ? Plans.NothingToDo(step, "POP, IMAP and SMTP AUTH are already off outside the allow-list.", evidence, before, warnings)
            : Plans.Change(step, $"Turn off legacy protocols on {changes.Count(c => c.Kind == DisableMailbox)} mailbox(es){(state.TenantSmtpAuthDisabled ? string.Empty : " and SMTP AUTH for the organisation")}.",
                evidence, changes, warnings, before);
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var before = await ReadAsync(cancellationToken);
        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes)
        {
            results.Add(await Results.RunChangeAsync(change, async () =>
            {
                var current = before.Mailboxes.FirstOrDefault(m => m.Upn == change.ResourceId);
                var command = change.Kind switch
                {
                    DisableMailbox when current is { Legacy.Count: 0 } => null,
                    DisableMailbox => ExchangeCommand.For("Set-CASMailbox").AnchoredTo(change.ResourceId).With("Identity", change.ResourceId)
                        .With("PopEnabled", false).With("ImapEnabled", false).With("SmtpClientAuthenticationDisabled", true),
                    KeepException when current?.SmtpAuthDisabled is not null => null,
                    KeepException => ExchangeCommand.For("Set-CASMailbox").AnchoredTo(change.ResourceId).With("Identity", change.ResourceId).With("SmtpClientAuthenticationDisabled", false),
                    DisableTenant when before.TenantSmtpAuthDisabled => null,
                    DisableTenant => ExchangeCommand.For("Set-TransportConfig").With("SmtpClientAuthenticationDisabled", true),
                    _ => throw new InvalidOperationException($"5.d cannot apply '{change.Kind}'."),
                };
                return command is null ? ChangeOutcome.AlreadyDone : Mail.OutcomeOf(await exchange.InvokeAsync(command, cancellationToken));
            }));
        }

        var after = await ReadAsync(cancellationToken);
        return Results.From(step, results, $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} protocol change(s) made.", Snapshot.Of(before), Snapshot.Of(after), plan.Warnings);
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(cancellationToken);
        var left = plan.Changes.Where(c => c.Kind switch
        {
            DisableMailbox => current.Mailboxes.Any(m => m.Upn == c.ResourceId && m.Legacy.Count > 0),
            DisableTenant => !current.TenantSmtpAuthDisabled,
            _ => current.Mailboxes.Any(m => m.Upn == c.ResourceId && m.SmtpAuthDisabled is null),
        }).Select(c => c.Description).ToList();
        return left.Count == 0 ? Results.Verified(step, "POP, IMAP and SMTP AUTH are off outside the allow-list.") : Results.Mismatch(step, $"Not in place: {string.Join("; ", left)}.");
    }

    private async Task<LegacyState> ReadAsync(CancellationToken cancellationToken)
    {
        var mailboxes = (await exchange.InvokeAsync(ExchangeCommand.For("Get-CASMailbox").With("ResultSize", "Unlimited")
                .Selecting("Identity", "PrimarySmtpAddress", "ExternalDirectoryObjectId", "PopEnabled", "ImapEnabled", "SmtpClientAuthenticationDisabled"), cancellationToken))
            .Select(m => new CasMailbox(Mail.Str(m, "PrimarySmtpAddress") ?? Mail.Str(m, "Identity") ?? "?", Mail.Str(m, "ExternalDirectoryObjectId"),
                Mail.Bool(m, "PopEnabled") == true, Mail.Bool(m, "ImapEnabled") == true, Mail.Bool(m, "SmtpClientAuthenticationDisabled")))
            .ToList();
        var config = (await exchange.InvokeAsync(ExchangeCommand.For("Get-TransportConfig").Selecting("SmtpClientAuthenticationDisabled"), cancellationToken)).Single();
        return new LegacyState(mailboxes, Mail.Bool(config, "SmtpClientAuthenticationDisabled") == true);
    }

    private sealed record LegacyState(IReadOnlyList<CasMailbox> Mailboxes, bool TenantSmtpAuthDisabled);

    /// <param name="SmtpAuthDisabled">true: off for this mailbox; false: explicitly on; null: follows the organisation.</param>
    private sealed record CasMailbox(string Upn, string? UserId, bool Pop, bool Imap, bool? SmtpAuthDisabled)
    {
        public IReadOnlyList<string> Legacy { get; } =
            [.. new[] { Pop ? "POP" : null, Imap ? "IMAP" : null, SmtpAuthDisabled == false ? "SMTP AUTH" : null }.OfType<string>()];

        public string Describe() => $"POP {(Pop ? "on" : "off")}, IMAP {(Imap ? "on" : "off")}, SMTP AUTH {SmtpAuthDisabled switch { true => "off", false => "on", null => "organisation setting" }}";
    }
}
