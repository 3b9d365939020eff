using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using Mail = ResponseFunctions.Playbook.Cases.MailDataLeak.Mail;

namespace ResponseFunctions.Playbook.Release.MailDataLeak;

/// <summary>The organisation's SMTP AUTH switch back as journaled.</summary>
public sealed record RestoreTenantSmtpAuth(string ResourceId, string Description, bool Disabled) : PlannedChange(ResourceId, Description);

/// <summary>One mailbox's POP, IMAP and SMTP AUTH back as journaled; a null SMTP AUTH setting follows the organisation's.</summary>
public sealed record RestoreMailboxProtocols(string ResourceId, string Description, bool Pop, bool Imap, bool? SmtpAuthDisabled) : PlannedChange(ResourceId, Description);

/// <summary>
/// Release of 5.d — turn POP, IMAP and SMTP AUTH back on where the containment turned them off, item by item: each
/// mailbox, and the organisation's SMTP AUTH switch. An item whose settings changed since the containment is not
/// overwritten: the plan shows the difference.
/// </summary>
/// <remarks>Exchange: Get-/Set-CASMailbox (PopEnabled, ImapEnabled, SmtpClientAuthenticationDisabled), Get-/Set-TransportConfig, as 5.d.</remarks>
public sealed class RestoreLegacyProtocols(IExchangeOnline exchange) : IReleaseAction
{
    private const string Organization = "organization";

    public ActionId Id { get; } = ActionId.Parse("5.d");

    public IReadOnlyList<string?> Items(OriginalStep original) =>
        [.. original.Done.Where(c => c.Kind is "disable-mailbox-legacy-protocols" or "disable-tenant-smtp-auth").Select(c => c.ResourceId).Distinct()];

    /// <summary>A mailbox's account gets no protocol back while another open containment holds it; the organisation item names nobody.</summary>
    public IReadOnlyList<string> Principals(OriginalStep original, string? item) =>
        item is null or Organization ? []
            : [item, .. OriginalStep.Property(MailRelease.Find(original.Before, "mailboxes", "upn", item), "userId")?.GetString() is { } id ? [id] : Array.Empty<string>()];

    public async Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken)
    {
        var evidence = new List<Evidence> { new("Containment entry", original.EntryId) };
        if (step.Item == Organization)
        {
            var (was, left) = (MailRelease.Bool(original.Before, "tenantSmtpAuthDisabled"), MailRelease.Bool(original.After, "tenantSmtpAuthDisabled"));
            var now = await TenantSmtpAuthDisabledAsync(cancellationToken);
            evidence.AddRange([new("SMTP AUTH disabled before the containment", $"{was}"), new("after the containment", $"{left}"), new("now", $"{now}")]);
            return now != left
                ? Plans.NothingToDo(step.Step, "The organisation's SMTP AUTH setting changed since the containment: left as it is.", evidence, null,
                    ["Changed since the containment: nothing is overwritten."])
                : Plans.Change(step.Step, $"Organisation SMTP AUTH back {(was == true ? "off" : "on")}, as before the containment.", evidence,
                    [new RestoreTenantSmtpAuth(Organization, $"Set-TransportConfig -SmtpClientAuthenticationDisabled {(was == true ? "$true" : "$false")}", was == true)]);
        }

        var upn = step.Item!;
        var before = MailRelease.Find(original.Before, "mailboxes", "upn", upn);
        var after = MailRelease.Find(original.After, "mailboxes", "upn", upn);
        var cas = await MailRelease.CasMailboxAsync(exchange, upn, cancellationToken);
        var (pop, imap, smtp) = (Mail.Bool(cas, "PopEnabled") == true, Mail.Bool(cas, "ImapEnabled") == true, Mail.Bool(cas, "SmtpClientAuthenticationDisabled"));
        evidence.AddRange([
            new("Before the containment", Describe(MailRelease.Bool(before, "pop"), MailRelease.Bool(before, "imap"), MailRelease.Bool(before, "smtpAuthDisabled"))),
            new("After the containment", Describe(MailRelease.Bool(after, "pop"), MailRelease.Bool(after, "imap"), MailRelease.Bool(after, "smtpAuthDisabled"))),
            new("Now", Describe(pop, imap, smtp))]);
        if (before is null || pop != (MailRelease.Bool(after, "pop") == true) || imap != (MailRelease.Bool(after, "imap") == true) || smtp != MailRelease.Bool(after, "smtpAuthDisabled"))
        {
            return Plans.NothingToDo(step.Step, $"{upn}'s protocols changed since the containment (or were not journaled): left as they are.", evidence, null,
                ["Changed since the containment: nothing is overwritten."]);
        }

        var (rPop, rImap, rSmtp) = (MailRelease.Bool(before, "pop") == true, MailRelease.Bool(before, "imap") == true, MailRelease.Bool(before, "smtpAuthDisabled"));
        return Plans.Change(step.Step, $"Restore {upn}'s protocols: {Describe(rPop, rImap, rSmtp)}.", evidence,
            [new RestoreMailboxProtocols(upn, $"Set-CASMailbox {upn}: {Describe(rPop, rImap, rSmtp)}", rPop, rImap, rSmtp)]);
    }

    public async Task<ApplyResult> ApplyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var change = plan.Changes.Single();
        var result = await Results.RunChangeAsync(change, async () =>
        {
            var command = change switch
            {
                RestoreTenantSmtpAuth tenant => ExchangeCommand.For("Set-TransportConfig").With("SmtpClientAuthenticationDisabled", tenant.Disabled),
                RestoreMailboxProtocols mailbox => WithSmtp(ExchangeCommand.For("Set-CASMailbox").AnchoredTo(change.ResourceId).With("Identity", change.ResourceId)
                    .With("PopEnabled", mailbox.Pop).With("ImapEnabled", mailbox.Imap), mailbox.SmtpAuthDisabled),
                _ => throw new InvalidOperationException($"The release of 5.d cannot apply '{change.Kind}'."),
            };
            return Mail.OutcomeOf(await exchange.InvokeAsync(command, cancellationToken));
        });
        return Results.From(step.Step, [result], change.Description, null, null);
    }

    public async Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var change = plan.Changes.Single();
        if (change is RestoreTenantSmtpAuth tenant)
        {
            return (await TenantSmtpAuthDisabledAsync(cancellationToken) == true) == tenant.Disabled
                ? Results.Verified(step.Step, change.Description)
                : Results.Mismatch(step.Step, $"Not as planned: {change.Description}.");
        }

        var cas = await MailRelease.CasMailboxAsync(exchange, change.ResourceId, cancellationToken);
        var smtp = Mail.Bool(cas, "SmtpClientAuthenticationDisabled");
        var wanted = (RestoreMailboxProtocols)change;
        var ok = (Mail.Bool(cas, "PopEnabled") == true) == wanted.Pop && (Mail.Bool(cas, "ImapEnabled") == true) == wanted.Imap && smtp == wanted.SmtpAuthDisabled;
        return ok ? Results.Verified(step.Step, change.Description) : Results.Mismatch(step.Step, $"Not as planned: {change.Description}.");
    }

    private async Task<bool?> TenantSmtpAuthDisabledAsync(CancellationToken cancellationToken) =>
        Mail.Bool((await exchange.InvokeAsync(ExchangeCommand.For("Get-TransportConfig").Selecting("SmtpClientAuthenticationDisabled"), cancellationToken)).Single(),
            "SmtpClientAuthenticationDisabled");

    private static ExchangeCommand WithSmtp(ExchangeCommand command, bool? value) =>
        value is { } disabled ? command.With("SmtpClientAuthenticationDisabled", disabled) : command.With("SmtpClientAuthenticationDisabled", (string?)null);

    private static string Describe(bool? pop, bool? imap, bool? smtpDisabled) =>
        $"POP {MailRelease.OnOff(pop, "unknown")}, IMAP {MailRelease.OnOff(imap, "unknown")}, SMTP AUTH {smtpDisabled switch { true => "off", false => "on", null => "organisation setting" }}";
}
