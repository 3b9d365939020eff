using System.Text.Json;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.MailDataLeak;

/// <summary>
/// 5.f — Remove the mailbox's delegations that the delegation baseline does not list: FullAccess ("lecture et
/// gestion"), SendAs ("envoyer en tant que") and SendOnBehalf ("envoyer de la part de"). The mailbox's own SELF
/// entries and inherited entries are never touched.
/// </summary>
/// <remarks>Exchange: Get-/Remove-MailboxPermission, Get-/Remove-RecipientPermission, Get-/Set-Mailbox -GrantSendOnBehalfTo @{Remove=…}.</remarks>
public sealed class RemoveMailboxDelegations(IExchangeOnline exchange, TenantGuard guard, IOptions<ContainmentPolicy> policy) : IContainmentAction
{
    private const string FullAccess = "FullAccess";
    private const string SendAs = "SendAs";
    private const string SendOnBehalf = "SendOnBehalf";

    public ActionId Id { get; } = ActionId.Parse("5.f");

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var verdict = guard.CheckPrincipal(step.Target);
        if (!verdict.Allowed)
        {
            return Plans.Refused(step, verdict);
        }

        var delegations = await ReadAsync(step.Target.Name, cancellationToken);
        var evidence = new List<Evidence>();
        var changes = new List<PlannedChange>();
        var warnings = policy.Value.Mail.DelegationBaseline.Count == 0
            ? new List<string> { "No delegation baseline is configured: every delegation is treated as illegitimate." }
            : [];
        foreach (var delegation in delegations)
        {
            var legitimate = IsInBaseline(step.Target.Name, delegation);
            evidence.Add(new Evidence($"{delegation.Right} for {delegation.Trustee}", legitimate ? "in the baseline: kept" : "NOT in the baseline"));
            if (!legitimate)
            {
                changes.Add(new UntypedChange($"remove-{delegation.Right.ToLowerInvariant()}", delegation.Trustee,
                    $"Remove the {delegation.Right} delegation of {delegation.Trustee} on {step.Target.Name}", Mail.Params(("right", delegation.Right))));
            }
        }

        var before = Snapshot.Of(delegations);
        return changes.Count == 0
            ? Plans.NothingToDo(step, $"{step.Target.Name} has no delegation outside the baseline.", evidence, before, warnings)
            : Plans.Change(step, $"Remove {changes.Count} illegitimate delegation(s) on {step.Target.Name}.", evidence, changes, warnings, before);
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var verdict = guard.CheckPrincipal(step.Target);
        if (!verdict.Allowed)
        {
            return Results.Refused(step, verdict);
        }

        var mailbox = step.Target.Name;
        var before = await ReadAsync(mailbox, cancellationToken);
        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes)
        {
            var right = change.Parameter("right");
            results.Add(await Results.RunChangeAsync(change, async () =>
            {
                if (!before.Any(d => d.Right == right && Mail.SameAddress(d.Trustee, change.ResourceId)))
                {
                    return ChangeOutcome.AlreadyDone;
                }

                var command = right switch
                {
                    FullAccess => ExchangeCommand.For("Remove-MailboxPermission").With("Identity", mailbox).With("User", change.ResourceId)
                        .With("AccessRights", [FullAccess]).With("InheritanceType", "All").With("Confirm", false),
                    SendAs => ExchangeCommand.For("Remove-RecipientPermission").With("Identity", mailbox).With("Trustee", change.ResourceId)
                        .With("AccessRights", [SendAs]).With("Confirm", false),
                    SendOnBehalf => ExchangeCommand.For("Set-Mailbox").With("Identity", mailbox).Modify("GrantSendOnBehalfTo", remove: [change.ResourceId]),
                    _ => throw new InvalidOperationException($"5.f cannot remove '{right}'."),
                };
                return Mail.OutcomeOf(await exchange.InvokeAsync(command.AnchoredTo(mailbox), cancellationToken));
            }));
        }

        var after = await ReadAsync(mailbox, cancellationToken);
        return Results.From(step, results, $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} delegation(s) removed; {after.Count} remain on {mailbox}.",
            Snapshot.Of(before), Snapshot.Of(after), plan.Warnings);
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(step.Target.Name, cancellationToken);
        var left = plan.Changes.Where(c => current.Any(d => d.Right == c.Parameter("right") && Mail.SameAddress(d.Trustee, c.ResourceId))).Select(c => c.Description).ToList();
        return left.Count == 0 ? Results.Verified(step, "None of the removed delegations is back.") : Results.Mismatch(step, $"Still present: {string.Join("; ", left)}.");
    }

    private bool IsInBaseline(string mailbox, Delegation delegation) =>
        policy.Value.Mail.DelegationBaseline.Any(e => Mail.SameAddress(e.Mailbox, mailbox) && Mail.SameAddress(e.Trustee, delegation.Trustee)
                                                      && e.Rights.Contains(delegation.Right, StringComparer.OrdinalIgnoreCase));

    private async Task<IReadOnlyList<Delegation>> ReadAsync(string mailbox, CancellationToken cancellationToken)
    {
        var delegations = new List<Delegation>();
        foreach (var entry in await exchange.InvokeAsync(ExchangeCommand.For("Get-MailboxPermission").AnchoredTo(mailbox).With("Identity", mailbox), cancellationToken))
        {
            if (IsExplicitDelegation(entry, "User") && Mail.Strings(entry, "AccessRights").Contains(FullAccess, StringComparer.OrdinalIgnoreCase))
            {
                delegations.Add(new Delegation(FullAccess, Mail.Str(entry, "User")!, entry));
            }
        }

        foreach (var entry in await exchange.InvokeAsync(ExchangeCommand.For("Get-RecipientPermission").AnchoredTo(mailbox).With("Identity", mailbox), cancellationToken))
        {
            if (IsExplicitDelegation(entry, "Trustee") && Mail.Strings(entry, "AccessRights").Contains(SendAs, StringComparer.OrdinalIgnoreCase))
            {
                delegations.Add(new Delegation(SendAs, Mail.Str(entry, "Trustee")!, entry));
            }
        }

        var box = (await exchange.InvokeAsync(ExchangeCommand.For("Get-Mailbox").AnchoredTo(mailbox).With("Identity", mailbox).Selecting("Identity", "GrantSendOnBehalfTo"), cancellationToken)).Single();
        delegations.AddRange(Mail.Strings(box, "GrantSendOnBehalfTo").Select(t => new Delegation(SendOnBehalf, t, null)));
        return delegations;

        // An explicit, allowing entry of someone other than the mailbox itself.
        static bool IsExplicitDelegation(JsonElement entry, string principal) =>
            Mail.Str(entry, principal) is { } who && !who.StartsWith("NT AUTHORITY", StringComparison.OrdinalIgnoreCase) && !who.StartsWith("S-1-5-", StringComparison.Ordinal)
            && Mail.Bool(entry, "IsInherited") != true && Mail.Bool(entry, "Deny") != true
            && !string.Equals(Mail.Str(entry, "AccessControlType"), "Deny", StringComparison.OrdinalIgnoreCase);
    }

    private sealed record Delegation(string Right, string Trustee, JsonElement? Entry);
}
