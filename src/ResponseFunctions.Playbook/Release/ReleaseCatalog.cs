using System.Collections.Frozen;
using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Release;

/// <summary>
/// What releasing each action of the sheet means, one line per action (the README's release table is this list).
/// A reversible action is restored from the before-state its apply journaled, after a person approves; what cannot be
/// undone is listed in the main courante with the follow-up a person must do instead.
/// </summary>
public static class ReleaseCatalog
{
    public static IReadOnlyList<ReleaseDescriptor> All { get; } =
    [
        new(Id("1.a"), ReleaseKind.CannotUndo, "A reset password cannot be given back.",
            "After checking the user's identity (call-back, manager), issue a Temporary Access Pass or a new password; the user sets their own at next sign-in."),
        new(Id("1.b"), ReleaseKind.CannotUndo, "Revoked sessions cannot be restored.",
            "Nothing to restore: the user signs in again (once the account is enabled and they hold a credential)."),
        new(Id("1.c"), ReleaseKind.Restore, "Re-enable the account (accountEnabled back to true), unless someone changed it since or another open containment holds it.", null),
        new(Id("1.d"), ReleaseKind.CannotUndo, "Deleted authentication methods cannot be restored (their secrets are gone).",
            "After checking the user's identity, issue a Temporary Access Pass so the user registers their MFA methods again."),
        new(Id("1.e"), ReleaseKind.Restore,
            "Remove this incident's addresses and countries from the 1.e named locations; delete the block policy (and its emptied locations) only when no other open incident needs it.", null),
        new(Id("1.f"), ReleaseKind.ItemByItem,
            "Re-grant each removed role as it was held (active, PIM-eligible or through its role-assignable group, at its scope), item by item, each on two distinct approvals: they were outside the role baseline.",
            "Only when named: release 1.f by name (not with all-reversible); each grant needs two distinct signed-in approvers. Add a legitimate role to RoleBaseline too.")
        {
            OnlyWhenNamed = true,
        },
        new(Id("1.risk"), ReleaseKind.CannotUndo, "A user confirmed compromised stays so in Identity Protection.",
            "For a false positive, dismiss the user's risk (riskyUsers/dismiss) in Entra ID Protection."),
        new(Id("2.a"), ReleaseKind.Restore, "Re-enable the service principal's sign-in, unless someone changed it since or another open containment holds it.", null),
        new(Id("2.b"), ReleaseKind.ByHand, "Removed assignments, consents and application permissions are not re-granted automatically.",
            "Re-grant what was legitimate from the journaled before-state (add it to the application's baseline first)."),
        new(Id("2.c"), ReleaseKind.CannotUndo, "Removed secrets, certificates and federated credentials cannot be restored.",
            "The application's owner issues new credentials and deploys them."),
        new(Id("2.d"), ReleaseKind.ItemByItem,
            "Re-grant each removed Entra role of the application as it was held (active or PIM-eligible, at its scope), item by item, each on two distinct approvals: they were outside the role baseline.",
            "Only when named: release 2.d by name (not with all-reversible); each grant needs two distinct signed-in approvers. Add a legitimate role to RoleBaseline too.")
        {
            OnlyWhenNamed = true,
        },
        new(Id("2.e"), ReleaseKind.ByHand, "App-scoped roles were put back to the application's baseline: not undone automatically.",
            "If a removed holder was legitimate, add them to the baseline and re-assign the role from the journaled before-state."),
        new(Id("2.f"), ReleaseKind.ByHand, "Owners were put back to the application's baseline: not undone automatically.",
            "If a removed owner was legitimate, add them to the baseline and to the owners from the journaled before-state."),
        new(Id("2.g"), ReleaseKind.ItemByItem, "Restore the tenant's user consent policy and admin consent request settings to their journaled values, each on explicit approval.", null),
        new(Id("3.a"), ReleaseKind.Restore,
            "Take the resource out of isolation as journaled: NICs back behind their previous NSG (the unused deny-all NSG deleted), a deallocated VM started, the site's access restrictions restored and the stopped sites started, the storage account reopened as it was; anything changed since is kept.", null),
        new(Id("3.b"), ReleaseKind.CannotUndo, "Rotated keys, secrets and passwords cannot be given back.", "Distribute the new credentials to the resource's legitimate users."),
        new(Id("4.a"), ReleaseKind.ItemByItem, "Restore each removed allow entry and remove each block entry this incident added, item by item, on explicit approval.", null),
        new(Id("4.b"), ReleaseKind.ItemByItem, "Restore the anti-phishing policy's spoof intelligence and trusted senders/domains to their journaled values, item by item.", null),
        new(Id("4.c"), ReleaseKind.ItemByItem, "Restore the Strict preset scope and outbound spam limits to their journaled values, item by item.", null),
        new(Id("5.a"), ReleaseKind.ItemByItem, "Re-create each removed inbox rule and forwarding from its exported definition, item by item, on explicit approval.", null),
        new(Id("5.b"), ReleaseKind.ItemByItem, "Re-create each removed transport rule from its exported definition (disabled first), item by item, on explicit approval.", null),
        new(Id("5.c"), ReleaseKind.Restore, "Re-enable the shared mailbox account's sign-in and its direct protocols, as journaled, unless another open containment holds that account.", null),
        new(Id("5.d"), ReleaseKind.Restore, "Turn POP, IMAP and SMTP AUTH back on for the mailboxes (and organisation) the containment turned off, as journaled; never for a mailbox another open containment holds.", null),
        new(Id("5.e"), ReleaseKind.ItemByItem,
            "Take the extensions this incident added out of the default malware filter (file filter back as it was), and remove the attachment rule it created, item by item; either changed since is kept.", null),
        new(Id("5.f"), ReleaseKind.ItemByItem, "Re-grant each removed FullAccess, SendAs or SendOnBehalf delegation, item by item, on explicit approval; never to a trustee another open containment holds as compromised.", null),
    ];

    private static readonly FrozenDictionary<ActionId, ReleaseDescriptor> ById = All.ToFrozenDictionary(d => d.Action);

    public static ReleaseDescriptor Get(ActionId id) =>
        ById.TryGetValue(id, out var descriptor) ? descriptor : throw new KeyNotFoundException($"No release line for {id}.");

    private static ActionId Id(string value) => ActionId.Parse(value);
}

/// <summary>What releasing one action means.</summary>
/// <param name="FollowUp">What a person must do instead (cannot be undone), or while the automated release is not built.</param>
public sealed record ReleaseDescriptor(ActionId Action, ReleaseKind Kind, string Meaning, string? FollowUp)
{
    /// <summary>The journaled before-state is enough to restore what the action changed.</summary>
    public bool Reversible => Kind is ReleaseKind.Restore or ReleaseKind.ItemByItem;

    /// <summary>
    /// Released only when a release names the action, never with all-reversible: re-granting roles outside the baseline
    /// needs two people per grant, and a bulk "undo everything" must not ask for that by default.
    /// </summary>
    public bool OnlyWhenNamed { get; init; }

    /// <summary>What an all-reversible release restores.</summary>
    public bool InAllReversible => Reversible && !OnlyWhenNamed;
}

public enum ReleaseKind
{
    /// <summary>Restored as one step, approved by a person.</summary>
    Restore,

    /// <summary>Restored one item (rule, delegation, setting, role) at a time, each its own approved step: they were judged illegitimate.</summary>
    ItemByItem,

    /// <summary>Cannot be undone: listed in the journal with the follow-up a person must do.</summary>
    CannotUndo,

    /// <summary>
    /// The journal holds the before-state, but what was removed was outside a baseline (roles, permissions, owners): a
    /// person restores it after adding it to the baseline; listed in the journal with that follow-up.
    /// </summary>
    ByHand,
}
