using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.MailDataLeak;

/// <summary>Sign-in of a shared mailbox's user object blocked (accountEnabled=false); <see cref="Upn"/> names the mailbox.</summary>
public sealed record BlockSharedSignIn(string ResourceId, string Description, string Upn) : PlannedChange(ResourceId, Description);

/// <summary>A shared mailbox's direct protocols and SMTP AUTH turned off (the mailbox is the resource).</summary>
public sealed record DisableSharedProtocols(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>One shared mailbox as 5.c reads it (the journaled shape release reads back).</summary>
public sealed record SharedMailbox(string Upn, string? UserId, bool? AccountEnabled, IReadOnlyList<string> EnabledProtocols, bool? SmtpAuthDisabled);

/// <summary>
/// 5.c — Shared mailboxes are reached through delegation, never by signing in as them: block sign-in of their user
/// objects and turn off their direct protocols (MAPI, OWA, IMAP, POP, EWS, ActiveSync, SMTP AUTH). Delegates keep
/// their access through their own accounts (the sheet: "conserver uniquement l'accès via délégation").
/// </summary>
/// <remarks>Exchange: Get-Mailbox -RecipientTypeDetails SharedMailbox, Get-/Set-CASMailbox. Graph: PATCH /users/{id}
/// accountEnabled=false. Permissions: the catalog row.</remarks>
public sealed class BlockSharedMailboxSignIn(IExchangeOnline exchange, GraphServiceClient graph, DirectoryReader directory, TenantGuard guard, ChangeRunner runner)
    : ContainmentAction<IReadOnlyList<SharedMailbox>>(runner)
{
    private static readonly string[] Protocols = ["MAPIEnabled", "OWAEnabled", "ImapEnabled", "PopEnabled", "EwsEnabled", "ActiveSyncEnabled"];

    public override ActionId Id { get; } = ActionId.Parse("5.c");

    protected internal override async Task<IReadOnlyList<SharedMailbox>> ReadAsync(StepContext step, CancellationToken cancellationToken)
    {
        var mailboxes = await exchange.InvokeAsync(ExchangeCommand.For("Get-Mailbox").With("RecipientTypeDetails", ["SharedMailbox"]).With("ResultSize", "Unlimited")
            .Selecting("Identity", "UserPrincipalName", "ExternalDirectoryObjectId"), cancellationToken);
        var result = new List<SharedMailbox>();
        foreach (var mailbox in mailboxes)
        {
            var upn = Mail.Str(mailbox, "UserPrincipalName") ?? Mail.Str(mailbox, "Identity") ?? "?";
            var cas = (await exchange.InvokeAsync(ExchangeCommand.For("Get-CASMailbox").AnchoredTo(upn).With("Identity", upn), cancellationToken)).Single();
            var userId = Mail.Str(mailbox, "ExternalDirectoryObjectId");
            var user = userId is null ? null : await directory.FindUserAsync(userId, cancellationToken);
            result.Add(new SharedMailbox(upn, user?.Id, user?.AccountEnabled, [.. Protocols.Where(p => Mail.Bool(cas, p) == true)],
                Mail.Bool(cas, "SmtpClientAuthenticationDisabled")));
        }

        return result;
    }

    protected override ActionPlan Plan(StepContext step, IReadOnlyList<SharedMailbox> shared, GuardVerdict verdict)
    {
        var evidence = new List<Evidence>();
        var changes = new List<PlannedChange>();
        var warnings = new List<string>();
        foreach (var mailbox in shared)
        {
            if (mailbox.UserId is not null && !guard.CheckPrincipal(TargetOf(mailbox.UserId, mailbox.Upn)).Allowed)
            {
                warnings.Add($"{mailbox.Upn} is a protected principal: left as it is.");
                continue;
            }

            evidence.Add(new Evidence($"Shared mailbox {mailbox.Upn}", $"sign-in {(mailbox.AccountEnabled == true ? "ENABLED" : "blocked")}; direct protocols: {Describe(mailbox.EnabledProtocols)}"));
            if (mailbox.AccountEnabled == true && mailbox.UserId is not null)
            {
                changes.Add(new BlockSharedSignIn(mailbox.UserId, $"Block sign-in of the shared mailbox account {mailbox.Upn} (accountEnabled=false)", mailbox.Upn));
            }

            if (mailbox.EnabledProtocols.Count > 0)
            {
                changes.Add(new DisableSharedProtocols(mailbox.Upn, $"Turn off {Describe(mailbox.EnabledProtocols)} and SMTP AUTH on {mailbox.Upn}"));
            }
        }

        var before = Snapshot.Of(shared);
        return changes.Count == 0
            ? Plans.NothingToDo(step, $"{shared.Count} shared mailbox(es), none can be signed in to directly.", evidence, before, warnings)
            : Plans.Change(step, $"Close direct access to {changes.Select(c => c is BlockSharedSignIn block ? block.Upn : c.ResourceId).Distinct().Count()} shared mailbox(es).",
                evidence, changes, warnings, before);
    }

    /// <summary>Re-checked at apply time: an account protected since the plan is never changed (the catalog row's per-change guard).</summary>
    protected internal override Task<GuardVerdict?> CheckChangeAsync(StepContext step, PlannedChange change, CancellationToken cancellationToken) =>
        Task.FromResult<GuardVerdict?>(change is BlockSharedSignIn block ? guard.CheckPrincipal(TargetOf(block.ResourceId, block.Upn)) : null);

    protected internal override async Task<ChangeOutcome> ApplyChangeAsync(StepContext step, IReadOnlyList<SharedMailbox> before, PlannedChange change, CancellationToken cancellationToken)
    {
        if (change is BlockSharedSignIn)
        {
            if (before.Any(m => m.UserId == change.ResourceId && m.AccountEnabled == false))
            {
                return ChangeOutcome.AlreadyDone;
            }

            await graph.Users[change.ResourceId].PatchAsync(new User { AccountEnabled = false }, cancellationToken: cancellationToken);
            return ChangeOutcome.Done;
        }

        if (before.Any(m => m.Upn == change.ResourceId && m.EnabledProtocols.Count == 0 && m.SmtpAuthDisabled == true))
        {
            return ChangeOutcome.AlreadyDone;
        }

        var command = Protocols.Aggregate(ExchangeCommand.For("Set-CASMailbox").AnchoredTo(change.ResourceId).With("Identity", change.ResourceId),
            (c, p) => c.With(p, false)).With("SmtpClientAuthenticationDisabled", true);
        return Mail.OutcomeOf(await exchange.InvokeAsync(command, cancellationToken));
    }

    protected internal override string Summarize(StepContext step, IReadOnlyList<SharedMailbox> before, IReadOnlyList<SharedMailbox> after, IReadOnlyList<ChangeResult> results) =>
        $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} change(s) made on shared mailboxes.";

    protected internal override IReadOnlyList<string> ApplyWarnings(ActionPlan plan, IReadOnlyList<SharedMailbox> before, IReadOnlyList<ChangeResult> results) => plan.Warnings;

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(step, cancellationToken);
        var left = plan.Changes.Where(c => c is BlockSharedSignIn ? current.Any(m => m.UserId == c.ResourceId && m.AccountEnabled == true)
                : current.Any(m => m.Upn == c.ResourceId && m.EnabledProtocols.Count > 0))
            .Select(c => c.Description).ToList();
        return left.Count == 0 ? Results.Verified(step, "The shared mailboxes cannot be signed in to, and their direct protocols are off.") : Results.Mismatch(step, $"Not in place: {string.Join("; ", left)}.");
    }

    private static ActionTarget TargetOf(string userId, string upn) => new(TargetKind.Mailbox, userId, upn);

    private static string Describe(IReadOnlyList<string> protocols) => protocols.Count == 0 ? "none" : string.Join(", ", protocols.Select(p => p.Replace("Enabled", string.Empty, StringComparison.Ordinal)));
}
