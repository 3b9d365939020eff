using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using Mail = ResponseFunctions.Playbook.Cases.MailDataLeak.Mail;

namespace ResponseFunctions.Playbook.Release.MailDataLeak;

/// <summary>One removed delegation (FullAccess, SendAs or SendOnBehalf) of the trustee (the resource) on a mailbox, granted again.</summary>
public sealed record RegrantDelegation(string ResourceId, string Description, string Right, string Mailbox) : PlannedChange(ResourceId, Description);

/// <summary>
/// Release of 5.f — re-grant a removed FullAccess, SendAs or SendOnBehalf delegation, one delegation per step and per
/// approval: each was judged illegitimate (outside the delegation baseline), so each is restored only on its own
/// explicit decision. A delegation granted again since the containment is left as it is.
/// </summary>
/// <remarks>Exchange: Get-/Add-MailboxPermission, Get-/Add-RecipientPermission, Get-/Set-Mailbox -GrantSendOnBehalfTo @{Add=…}.</remarks>
public sealed class RegrantMailboxDelegation(IExchangeOnline exchange) : IReleaseAction
{
    private const string FullAccess = "FullAccess";
    private const string SendAs = "SendAs";
    private const string SendOnBehalf = "SendOnBehalf";

    public ActionId Id { get; } = ActionId.Parse("5.f");

    /// <summary>"FullAccess:trustee" for each delegation the containment removed.</summary>
    public IReadOnlyList<string?> Items(OriginalStep original) =>
        [.. original.Done.Where(c => c.Kind.StartsWith("remove-", StringComparison.Ordinal))
            .Select(c => $"{Right(c.Kind)}:{c.ResourceId}").Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>The trustee: a delegation is never re-granted to a principal another open containment holds as compromised.</summary>
    public IReadOnlyList<string> Principals(OriginalStep original, string? item) => [Split(item!).Trustee];

    /// <summary>
    /// A trustee journaled by alias or address resolved as the containment's reads name it: Get-Mailbox -Identity takes
    /// any of them and returns the UPN, primary SMTP address and directory object id another containment's scope holds.
    /// A trustee that is no mailbox (a mail user, a group) keeps its journaled form.
    /// </summary>
    public async Task<IReadOnlyList<string>> PrincipalFormsAsync(string principal, CancellationToken cancellationToken)
    {
        var address = Mail.AddressOf(principal);
        var forms = new List<string> { principal, address };
        try
        {
            foreach (var box in await exchange.InvokeAsync(ExchangeCommand.For("Get-Mailbox").With("Identity", address)
                         .Selecting("UserPrincipalName", "PrimarySmtpAddress", "ExternalDirectoryObjectId"), cancellationToken))
            {
                forms.AddRange(new[] { "UserPrincipalName", "PrimarySmtpAddress", "ExternalDirectoryObjectId" }.Select(p => Mail.Str(box, p)).OfType<string>());
            }
        }
        catch (ExchangeCommandException ex) when (ex.IsNotFound)
        {
            // Not a mailbox: only the journaled forms can match.
        }

        return [.. forms.Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    public async Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken)
    {
        var (right, trustee) = Split(step.Item!);
        var mailbox = step.Target.Name;
        var evidence = new List<Evidence>
        {
            new("Containment entry", original.EntryId),
            new("Removed by the containment", $"{right} of {trustee} on {mailbox} (outside the delegation baseline)"),
        };
        if (await HeldAsync(mailbox, right, trustee, cancellationToken))
        {
            return Plans.NothingToDo(step.Step, $"{trustee} holds {right} on {mailbox} again since the containment: left as it is.", evidence, null,
                ["Changed since the containment: the delegation exists again. Nothing is overwritten."]);
        }

        return Plans.Change(step.Step, $"Re-grant {right} on {mailbox} to {trustee}.", evidence,
            [new RegrantDelegation(trustee, $"Re-grant {right} on {mailbox} to {trustee}", right, mailbox)],
            ["This delegation was removed as outside the delegation baseline: add it to Containment:Mail:DelegationBaseline if it is legitimate, or a later containment removes it again."]);
    }

    public async Task<ApplyResult> ApplyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var change = (RegrantDelegation)plan.Changes.Single();
        var (right, mailbox, trustee) = (change.Right, change.Mailbox, change.ResourceId);
        var result = await Results.RunChangeAsync(change, async () =>
        {
            if (await HeldAsync(mailbox, right, trustee, cancellationToken))
            {
                return ChangeOutcome.AlreadyDone;
            }

            var command = right switch
            {
                FullAccess => ExchangeCommand.For("Add-MailboxPermission").With("Identity", mailbox).With("User", trustee)
                    .With("AccessRights", [FullAccess]).With("InheritanceType", "All").With("Confirm", false),
                SendAs => ExchangeCommand.For("Add-RecipientPermission").With("Identity", mailbox).With("Trustee", trustee).With("AccessRights", [SendAs]).With("Confirm", false),
                _ => ExchangeCommand.For("Set-Mailbox").With("Identity", mailbox).Modify("GrantSendOnBehalfTo", add: [trustee]),
            };
            return Mail.OutcomeOf(await exchange.InvokeAsync(command.AnchoredTo(mailbox), cancellationToken));
        });
        return Results.From(step.Step, [result], change.Description, null, null, plan.Warnings);
    }

    public async Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var change = (RegrantDelegation)plan.Changes.Single();
        return await HeldAsync(change.Mailbox, change.Right, change.ResourceId, cancellationToken)
            ? Results.Verified(step.Step, change.Description)
            : Results.Mismatch(step.Step, $"Not in place: {change.Description}.");
    }

    private async Task<bool> HeldAsync(string mailbox, string right, string trustee, CancellationToken cancellationToken)
    {
        if (right == SendOnBehalf)
        {
            var box = (await exchange.InvokeAsync(ExchangeCommand.For("Get-Mailbox").AnchoredTo(mailbox).With("Identity", mailbox).Selecting("Identity", "GrantSendOnBehalfTo"), cancellationToken)).Single();
            return Mail.Strings(box, "GrantSendOnBehalfTo").Any(t => Mail.SameAddress(t, trustee));
        }

        var (cmdlet, principal) = right == FullAccess ? ("Get-MailboxPermission", "User") : ("Get-RecipientPermission", "Trustee");
        return (await exchange.InvokeAsync(ExchangeCommand.For(cmdlet).AnchoredTo(mailbox).With("Identity", mailbox), cancellationToken))
            .Any(e => Mail.SameAddress(Mail.Str(e, principal), trustee) && Mail.Strings(e, "AccessRights").Contains(right, StringComparer.OrdinalIgnoreCase));
    }

    private static string Right(string kind) => kind["remove-".Length..] switch
    {
        "fullaccess" => FullAccess,
        "sendas" => SendAs,
        _ => SendOnBehalf,
    };

    private static (string Right, string Trustee) Split(string item)
    {
        var colon = item.IndexOf(':');
        return (item[..colon], item[(colon + 1)..]);
    }
}
