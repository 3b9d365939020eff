using System.Text.Json;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using Mail = ResponseFunctions.Playbook.Cases.MailDataLeak.Mail;

namespace ResponseFunctions.Playbook.Release.MailDataLeak;

/// <summary>The mailbox's (the resource's) forwarding put back as journaled.</summary>
public sealed record RestoreForwarding(string ResourceId, string Description, string Address, bool DeliverAndForward) : PlannedChange(ResourceId, Description);

/// <summary>A removed inbox rule of the mailbox (the resource) re-created from its exported definition.</summary>
public sealed record RecreateInboxRuleChange(string ResourceId, string Description, string Name, JsonElement Definition) : PlannedChange(ResourceId, Description);

/// <summary>
/// Release of 5.a — re-create a removed inbox rule from the definition the containment exported, or put the mailbox's
/// forwarding back, one item per step and per approval (each was judged illegitimate). A rule of that name, or a
/// forwarding, set again since the containment is left as it is; a hidden rule comes back visible, and what the
/// release cannot set is named for a person.
/// </summary>
/// <remarks>Exchange: Get-/New-InboxRule -Mailbox, Get-/Set-Mailbox -ForwardingSmtpAddress -DeliverToMailboxAndForward.</remarks>
public sealed class RecreateInboxRule(IExchangeOnline exchange) : IReleaseAction
{
    private const string Forwarding = "forwarding";

    /// <summary>What an exported rule can be re-created with (New-InboxRule's parameters); anything else is named for a person.</summary>
    private static readonly string[] Restorable =
    [
        "SubjectOrBodyContainsWords", "SubjectContainsWords", "BodyContainsWords", "FromAddressContainsWords", "From", "SentTo",
        "ForwardTo", "RedirectTo", "ForwardAsAttachmentTo", "MoveToFolder", "CopyToFolder", "MarkAsRead", "DeleteMessage", "StopProcessingRules",
    ];

    private static readonly string[] ReadOnly = ["MailboxOwnerId", "RuleIdentity", "Identity", "Name", "Enabled", "Priority"];

    private static readonly string[] Recipients = ["ForwardTo", "RedirectTo", "ForwardAsAttachmentTo", "From", "SentTo"];

    public ActionId Id { get; } = ActionId.Parse("5.a");

    public IReadOnlyList<string?> Items(OriginalStep original) =>
        [.. original.Done.Select(c => c.Kind switch
        {
            "remove-inbox-rule" => c.ResourceId,
            "clear-mailbox-forwarding" => Forwarding,
            _ => null,
        }).OfType<string>().Distinct()];

    public async Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken)
    {
        var mailbox = step.Target.Name;
        var evidence = new List<Evidence> { new("Containment entry", original.EntryId) };
        if (step.Item == Forwarding)
        {
            var before = OriginalStep.Property(original.Before, "forwarding");
            var address = OriginalStep.Property(before, "smtpAddress")?.GetString();
            var now = await ForwardingNowAsync(mailbox, cancellationToken);
            evidence.AddRange([new("Forwarding before the containment", before?.GetRawText() ?? "none"), new("Forwarding now", now ?? "none")]);
            if (address is null)
            {
                return Plans.NothingToDo(step.Step, "No forwarding address was journaled: nothing to put back.", evidence);
            }

            return now is not null
                ? Plans.NothingToDo(step.Step, $"{mailbox} forwards again since the containment ({now}): left as it is.", evidence, null,
                    ["Changed since the containment: a forwarding is set. Nothing is overwritten."])
                : Plans.Change(step.Step, $"Put back {mailbox}'s forwarding to {address}.", evidence,
                    [new RestoreForwarding(mailbox, $"Forward {mailbox}'s mail to {address} again (keep a copy: {MailRelease.Bool(before, "deliverAndForward") == true})",
                        address, MailRelease.Bool(before, "deliverAndForward") == true)],
                    ["This forwarding was judged illegitimate (mail leaving the organisation): restore it only if it is known to be wanted."]);
        }

        var exported = MailRelease.Find(original.Before, "rules", "identity", step.Item!);
        var properties = OriginalStep.Property(exported, "properties");
        if (properties is not { } rule || Mail.Str(rule, "Name") is not { } name)
        {
            return Plans.NothingToDo(step.Step, $"The containment exported no definition of rule {step.Item}: nothing to re-create.", evidence);
        }

        evidence.Add(new("Exported definition", rule.GetRawText()));
        var rules = await exchange.InvokeAsync(ExchangeCommand.For("Get-InboxRule").AnchoredTo(mailbox).With("Mailbox", mailbox).Switch("IncludeHidden"), cancellationToken);
        if (rules.Any(r => string.Equals(Mail.Str(r, "Name"), name, StringComparison.Ordinal)))
        {
            return Plans.NothingToDo(step.Step, $"An inbox rule named \"{name}\" exists again in {mailbox} since the containment: left as it is.", evidence, null,
                ["Changed since the containment: a rule of that name exists. Nothing is overwritten."]);
        }

        var settings = rule.EnumerateObject().Where(p => Restorable.Contains(p.Name, StringComparer.Ordinal) && p.Value.ValueKind != JsonValueKind.Null).ToList();
        var skipped = rule.EnumerateObject().Where(p => !Restorable.Contains(p.Name, StringComparer.Ordinal) && !ReadOnly.Contains(p.Name, StringComparer.Ordinal)
            && p.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.False)).Select(p => p.Name).ToList();
        var warnings = new List<string> { "This rule was judged illegitimate: re-create it only if it is known to be the user's own." };
        if (OriginalStep.Property(exported, "hiddenFromGraph")?.GetBoolean() == true)
        {
            warnings.Add("The rule was hidden from Outlook and Graph; it comes back visible.");
        }

        if (skipped.Count > 0)
        {
            warnings.Add($"Not restored by the release (set them by hand from the export): {string.Join(", ", skipped)}.");
        }

        return Plans.Change(step.Step, $"Re-create the inbox rule \"{name}\" in {mailbox} from its export.", evidence,
            [new RecreateInboxRuleChange(mailbox, $"Re-create \"{name}\" in {mailbox} with {string.Join("; ", settings.Select(s => $"{s.Name} {Text(s.Value)}"))}", name, rule.Clone())],
            warnings);
    }

    public async Task<ApplyResult> ApplyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var change = plan.Changes.Single();
        var mailbox = change.ResourceId;
        var result = await Results.RunChangeAsync(change, async () =>
        {
            if (change is RestoreForwarding forwarding)
            {
                if (await ForwardingNowAsync(mailbox, cancellationToken) is not null)
                {
                    return ChangeOutcome.AlreadyDone;
                }

                return Mail.OutcomeOf(await exchange.InvokeAsync(ExchangeCommand.For("Set-Mailbox").AnchoredTo(mailbox).With("Identity", mailbox)
                    .With("ForwardingSmtpAddress", forwarding.Address).With("DeliverToMailboxAndForward", forwarding.DeliverAndForward), cancellationToken));
            }

            var recreate = (RecreateInboxRuleChange)change;
            if (await ExistsAsync(mailbox, recreate.Name, cancellationToken))
            {
                return ChangeOutcome.AlreadyDone;
            }

            var command = recreate.Definition.EnumerateObject()
                .Where(p => Restorable.Contains(p.Name, StringComparer.Ordinal) && p.Value.ValueKind != JsonValueKind.Null)
                .Aggregate(ExchangeCommand.For("New-InboxRule").AnchoredTo(mailbox).With("Mailbox", mailbox).With("Name", recreate.Name), With);
            await exchange.InvokeAsync(command.With("Force", true), cancellationToken);
            return ChangeOutcome.Done;
        });
        return Results.From(step.Step, [result], change.Description, null, null, plan.Warnings);
    }

    public async Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var change = plan.Changes.Single();
        var ok = change is RestoreForwarding forwarding
            ? Mail.SameAddress(await ForwardingNowAsync(change.ResourceId, cancellationToken), forwarding.Address)
            : await ExistsAsync(change.ResourceId, ((RecreateInboxRuleChange)change).Name, cancellationToken);
        return ok ? Results.Verified(step.Step, change.Description) : Results.Mismatch(step.Step, $"Not in place: {change.Description}.");
    }

    private async Task<bool> ExistsAsync(string mailbox, string name, CancellationToken cancellationToken) =>
        (await exchange.InvokeAsync(ExchangeCommand.For("Get-InboxRule").AnchoredTo(mailbox).With("Mailbox", mailbox).Switch("IncludeHidden"), cancellationToken))
            .Any(r => string.Equals(Mail.Str(r, "Name"), name, StringComparison.Ordinal));

    private async Task<string?> ForwardingNowAsync(string mailbox, CancellationToken cancellationToken)
    {
        var box = (await exchange.InvokeAsync(ExchangeCommand.For("Get-Mailbox").AnchoredTo(mailbox).With("Identity", mailbox)
            .Selecting("Identity", "ForwardingSmtpAddress", "ForwardingAddress"), cancellationToken)).Single();
        return Mail.Str(box, "ForwardingSmtpAddress") ?? Mail.Str(box, "ForwardingAddress");
    }

    /// <summary>Recipients come back as addresses (the export shows them as "name" [SMTP:address]).</summary>
    private static ExchangeCommand With(ExchangeCommand command, JsonProperty property) => property.Value.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => command.With(property.Name, property.Value.GetBoolean()),
        JsonValueKind.Number => command.With(property.Name, property.Value.GetInt32()),
        JsonValueKind.Array when Recipients.Contains(property.Name) => command.With(property.Name, property.Value.EnumerateArray().Select(e => Mail.AddressOf(e.ToString()))),
        JsonValueKind.Array => command.With(property.Name, property.Value.EnumerateArray().Select(e => e.ToString())),
        _ => command.With(property.Name, property.Value.ToString()),
    };

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.Array ? string.Join(", ", value.EnumerateArray()) : value.ToString();
}
