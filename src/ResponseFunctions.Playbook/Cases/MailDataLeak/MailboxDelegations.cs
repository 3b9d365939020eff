using System.Text.Json;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Exchange;

namespace ResponseFunctions.Playbook.Cases.MailDataLeak;

/// <summary>One delegation on a mailbox: the right (FullAccess, SendAs, SendOnBehalf), who holds it, and the permission entry as read.</summary>
public sealed record Delegation(string Right, string Trustee, JsonElement? Entry);

/// <summary>One illegitimate delegation removed; the kind says which right, <see cref="PlannedChange.ResourceId"/> is the trustee.</summary>
public abstract record RemoveDelegation(string ResourceId, string Description) : PlannedChange(ResourceId, Description)
{
    /// <summary>The right as Exchange names it (journaled as the change's "right").</summary>
    public abstract string Right { get; }

    /// <summary>The one command that takes this right away from the trustee on <paramref name="mailbox"/>.</summary>
    public abstract ExchangeCommand Command(string mailbox);

    public static RemoveDelegation For(Delegation delegation, string description) => delegation.Right switch
    {
        MailboxDelegations.FullAccess => new RemoveFullAccess(delegation.Trustee, description),
        MailboxDelegations.SendAs => new RemoveSendAs(delegation.Trustee, description),
        _ => new RemoveSendOnBehalf(delegation.Trustee, description),
    };
}

/// <summary>FullAccess removed (Remove-MailboxPermission).</summary>
public sealed record RemoveFullAccess(string ResourceId, string Description) : RemoveDelegation(ResourceId, Description)
{
    public override string Right => MailboxDelegations.FullAccess;

    public override ExchangeCommand Command(string mailbox) => ExchangeCommand.For("Remove-MailboxPermission").With("Identity", mailbox).With("User", ResourceId)
        .With("AccessRights", [Right]).With("InheritanceType", "All").With("Confirm", false);
}

/// <summary>SendAs removed (Remove-RecipientPermission).</summary>
public sealed record RemoveSendAs(string ResourceId, string Description) : RemoveDelegation(ResourceId, Description)
{
    public override string Right => MailboxDelegations.SendAs;

    public override ExchangeCommand Command(string mailbox) => ExchangeCommand.For("Remove-RecipientPermission").With("Identity", mailbox).With("Trustee", ResourceId)
        .With("AccessRights", [Right]).With("Confirm", false);
}

/// <summary>SendOnBehalf removed (Set-Mailbox -GrantSendOnBehalfTo @{Remove=…}, so other holders are kept).</summary>
public sealed record RemoveSendOnBehalf(string ResourceId, string Description) : RemoveDelegation(ResourceId, Description)
{
    public override string Right => MailboxDelegations.SendOnBehalf;

    public override ExchangeCommand Command(string mailbox) => ExchangeCommand.For("Set-Mailbox").With("Identity", mailbox).Modify("GrantSendOnBehalfTo", remove: [ResourceId]);
}

/// <summary>Reading a mailbox's explicit delegations: FullAccess, SendAs and SendOnBehalf, never SELF or inherited entries.</summary>
internal static class MailboxDelegations
{
    public const string FullAccess = "FullAccess";
    public const string SendAs = "SendAs";
    public const string SendOnBehalf = "SendOnBehalf";

    public static async Task<IReadOnlyList<Delegation>> ReadAsync(IExchangeOnline exchange, string mailbox, CancellationToken cancellationToken)
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
    }

    // An explicit, allowing entry of someone other than the mailbox itself.
    private static bool IsExplicitDelegation(JsonElement entry, string principal) =>
        Mail.Str(entry, principal) is { } who && !who.StartsWith("NT AUTHORITY", StringComparison.OrdinalIgnoreCase) && !who.StartsWith("S-1-5-", StringComparison.Ordinal)
        && Mail.Bool(entry, "IsInherited") != true && Mail.Bool(entry, "Deny") != true
        && !string.Equals(Mail.Str(entry, "AccessControlType"), "Deny", StringComparison.OrdinalIgnoreCase);
}
