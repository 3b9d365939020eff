using System.Text.Json;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.MailDataLeak;

/// <summary>
/// 5.c — Shared mailboxes are reached through delegation, never by signing in as them: block sign-in of their user
/// objects and turn off their direct protocols (MAPI, OWA, IMAP, POP, EWS, ActiveSync, SMTP AUTH). Delegates keep
/// their access through their own accounts (the sheet: "conserver uniquement l'accès via délégation").
/// </summary>
/// <remarks>Exchange: Get-Mailbox -RecipientTypeDetails SharedMailbox, Get-/Set-CASMailbox. Graph: PATCH /users/{id}
/// accountEnabled=false (User.EnableDisableAccount.All).</remarks>
public sealed class BlockSharedMailboxSignIn(IExchangeOnline exchange, GraphServiceClient graph, DirectoryReader directory, TenantGuard guard) : IContainmentAction
{
    private const string BlockSignIn = "block-shared-sign-in";
    private const string DisableProtocols = "disable-shared-protocols";
    private static readonly string[] Protocols = ["MAPIEnabled", "OWAEnabled", "ImapEnabled", "PopEnabled", "EwsEnabled", "ActiveSyncEnabled"];

    public ActionId Id { get; } = ActionId.Parse("5.c");

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var shared = await ReadAsync(cancellationToken);
        var evidence = new List<Evidence>();
        var changes = new List<PlannedChange>();
        var warnings = new List<string>();
        foreach (var mailbox in shared)
        {
            var target = new ActionTarget(TargetKind.Mailbox, mailbox.UserId ?? string.Empty, mailbox.Upn);
            if (mailbox.UserId is not null && !guard.CheckPrincipal(target).Allowed)
            {
                warnings.Add($"{mailbox.Upn} is a protected principal: left as it is.");
                continue;
            }

            evidence.Add(new Evidence($"Shared mailbox {mailbox.Upn}", $"sign-in {(mailbox.AccountEnabled == true ? "ENABLED" : "blocked")}; direct protocols: {Describe(mailbox.EnabledProtocols)}"));
            if (mailbox.AccountEnabled == true && mailbox.UserId is not null)
            {
                changes.Add(new UntypedChange(BlockSignIn, mailbox.UserId, $"Block sign-in of the shared mailbox account {mailbox.Upn} (accountEnabled=false)", Mail.Params(("upn", mailbox.Upn))));
            }

            if (mailbox.EnabledProtocols.Count > 0)
            {
                changes.Add(new UntypedChange(DisableProtocols, mailbox.Upn, $"Turn off {Describe(mailbox.EnabledProtocols)} and SMTP AUTH on {mailbox.Upn}"));
            }
        }

        var before = Snapshot.Of(shared);
        return changes.Count == 0
            ? Plans.NothingToDo(step, $"{shared.Count} shared mailbox(es), none can be signed in to directly.", evidence, before, warnings)
            : Plans.Change(step, $"Close direct access to {changes.Select(c => c.Kind == BlockSignIn ? c.Parameter("upn") : c.ResourceId).Distinct().Count()} shared mailbox(es).",
                evidence, changes, warnings, before);
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var before = await ReadAsync(cancellationToken);
        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes)
        {
            // Re-checked at apply time: a principal protected since the plan is never changed.
            var verdict = change.Kind == BlockSignIn ? guard.CheckPrincipal(new ActionTarget(TargetKind.Mailbox, change.ResourceId, change.Parameter("upn"))) : GuardVerdict.Allow();
            if (!verdict.Allowed)
            {
                results.Add(new ChangeResult(change, ChangeOutcome.Failed, new ErrorInfo(ErrorKind.Forbidden, "tenant-guard", verdict.Reason!)));
                continue;
            }

            results.Add(await Results.RunChangeAsync(change, async () =>
            {
                switch (change.Kind)
                {
                    case BlockSignIn:
                        if (before.Any(m => m.UserId == change.ResourceId && m.AccountEnabled == false))
                        {
                            return ChangeOutcome.AlreadyDone;
                        }

                        await graph.Users[change.ResourceId].PatchAsync(new User { AccountEnabled = false }, cancellationToken: cancellationToken);
                        return ChangeOutcome.Done;
                    case DisableProtocols:
                        if (before.Any(m => m.Upn == change.ResourceId && m.EnabledProtocols.Count == 0 && m.SmtpAuthDisabled == true))
                        {
                            return ChangeOutcome.AlreadyDone;
                        }

                        var command = Protocols.Aggregate(ExchangeCommand.For("Set-CASMailbox").AnchoredTo(change.ResourceId).With("Identity", change.ResourceId),
                            (c, p) => c.With(p, false)).With("SmtpClientAuthenticationDisabled", true);
                        return Mail.OutcomeOf(await exchange.InvokeAsync(command, cancellationToken));
                    default:
                        throw new InvalidOperationException($"5.c cannot apply '{change.Kind}'.");
                }
            }));
        }

        var after = await ReadAsync(cancellationToken);
        return Results.From(step, results, $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} change(s) made on shared mailboxes.", Snapshot.Of(before), Snapshot.Of(after), plan.Warnings);
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(cancellationToken);
        var left = plan.Changes.Where(c => c.Kind == BlockSignIn ? current.Any(m => m.UserId == c.ResourceId && m.AccountEnabled == true)
                : current.Any(m => m.Upn == c.ResourceId && m.EnabledProtocols.Count > 0))
            .Select(c => c.Description).ToList();
        return left.Count == 0 ? Results.Verified(step, "The shared mailboxes cannot be signed in to, and their direct protocols are off.") : Results.Mismatch(step, $"Not in place: {string.Join("; ", left)}.");
    }

    private static string Describe(IReadOnlyList<string> protocols) => protocols.Count == 0 ? "none" : string.Join(", ", protocols.Select(p => p.Replace("Enabled", string.Empty, StringComparison.Ordinal)));

    private async Task<IReadOnlyList<SharedMailbox>> ReadAsync(CancellationToken cancellationToken)
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

    private sealed record SharedMailbox(string Upn, string? UserId, bool? AccountEnabled, IReadOnlyList<string> EnabledProtocols, bool? SmtpAuthDisabled);
}
