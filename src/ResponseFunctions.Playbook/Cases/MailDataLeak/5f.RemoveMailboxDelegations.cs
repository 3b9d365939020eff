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
/// <remarks>Exchange: Get-/Remove-MailboxPermission, Get-/Remove-RecipientPermission, Get-/Set-Mailbox -GrantSendOnBehalfTo @{Remove=…}. Permissions: the catalog row.</remarks>
public sealed class RemoveMailboxDelegations(IExchangeOnline exchange, IOptions<ContainmentPolicy> policy, ChangeRunner runner)
    : ContainmentAction<IReadOnlyList<Delegation>>(runner)
{
    public override ActionId Id { get; } = ActionId.Parse("5.f");

    protected internal override Task<IReadOnlyList<Delegation>> ReadAsync(StepContext step, CancellationToken cancellationToken) =>
        MailboxDelegations.ReadAsync(exchange, step.Target.Name, cancellationToken);

    protected override ActionPlan Plan(StepContext step, IReadOnlyList<Delegation> delegations, GuardVerdict verdict)
    {
        var mailbox = step.Target.Name;
        var evidence = new List<Evidence>();
        var changes = new List<PlannedChange>();
        var warnings = policy.Value.Mail.DelegationBaseline.Count == 0
            ? new List<string> { "No delegation baseline is configured: every delegation is treated as illegitimate." }
            : [];
        foreach (var delegation in delegations)
        {
            var legitimate = IsInBaseline(mailbox, delegation);
            evidence.Add(new Evidence($"{delegation.Right} for {delegation.Trustee}", legitimate ? "in the baseline: kept" : "NOT in the baseline"));
            if (!legitimate)
            {
                changes.Add(RemoveDelegation.For(delegation, $"Remove the {delegation.Right} delegation of {delegation.Trustee} on {mailbox}"));
            }
        }

        var before = Snapshot.Of(delegations);
        return changes.Count == 0
            ? Plans.NothingToDo(step, $"{mailbox} has no delegation outside the baseline.", evidence, before, warnings)
            : Plans.Change(step, $"Remove {changes.Count} illegitimate delegation(s) on {mailbox}.", evidence, changes, warnings, before);
    }

    protected internal override async Task<ChangeOutcome> ApplyChangeAsync(StepContext step, IReadOnlyList<Delegation> before, PlannedChange change, CancellationToken cancellationToken)
    {
        var remove = (RemoveDelegation)change;
        if (!before.Any(d => Holds(d, remove)))
        {
            return ChangeOutcome.AlreadyDone;
        }

        return Mail.OutcomeOf(await exchange.InvokeAsync(remove.Command(step.Target.Name).AnchoredTo(step.Target.Name), cancellationToken));
    }

    protected internal override string Summarize(StepContext step, IReadOnlyList<Delegation> before, IReadOnlyList<Delegation> after, IReadOnlyList<ChangeResult> results) =>
        $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} delegation(s) removed; {after.Count} remain on {step.Target.Name}.";

    protected internal override IReadOnlyList<string> ApplyWarnings(ActionPlan plan, IReadOnlyList<Delegation> before, IReadOnlyList<ChangeResult> results) => plan.Warnings;

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(step, cancellationToken);
        var left = plan.Changes.OfType<RemoveDelegation>().Where(c => current.Any(d => Holds(d, c))).Select(c => c.Description).ToList();
        return left.Count == 0 ? Results.Verified(step, "None of the removed delegations is back.") : Results.Mismatch(step, $"Still present: {string.Join("; ", left)}.");
    }

    private static bool Holds(Delegation delegation, RemoveDelegation change) => delegation.Right == change.Right && Mail.SameAddress(delegation.Trustee, change.ResourceId);

    private bool IsInBaseline(string mailbox, Delegation delegation) =>
        policy.Value.Mail.DelegationBaseline.Any(e => Mail.SameAddress(e.Mailbox, mailbox) && Mail.SameAddress(e.Trustee, delegation.Trustee)
                                                      && e.Rights.Contains(delegation.Right, StringComparer.OrdinalIgnoreCase));
}
