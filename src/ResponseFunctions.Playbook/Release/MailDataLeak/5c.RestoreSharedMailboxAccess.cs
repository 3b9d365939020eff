using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Graph;
using Mail = ResponseFunctions.Playbook.Cases.MailDataLeak.Mail;

namespace ResponseFunctions.Playbook.Release.MailDataLeak;

/// <summary>The shared mailbox account's sign-in back on (the resource is its object id).</summary>
public sealed record EnableSharedSignIn(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>The shared mailbox's direct protocols (MAPIEnabled, OWAEnabled…) back on, as journaled.</summary>
public sealed record RestoreSharedProtocols(string ResourceId, string Description, IReadOnlyList<string> Protocols) : PlannedChange(ResourceId, Description);

/// <summary>
/// Release of 5.c — give each shared mailbox back its direct sign-in and protocols as journaled, one mailbox at a
/// time. A mailbox whose account or protocols changed since the containment is not overwritten: the plan shows the difference.
/// </summary>
/// <remarks>Graph: PATCH /users/{id} accountEnabled=true (User.EnableDisableAccount.All). Exchange: Get-/Set-CASMailbox, as 5.c.</remarks>
public sealed class RestoreSharedMailboxAccess(IExchangeOnline exchange, GraphServiceClient graph, DirectoryReader directory) : IReleaseAction
{
    public ActionId Id { get; } = ActionId.Parse("5.c");

    public IReadOnlyList<string?> Items(OriginalStep original) =>
        [.. original.Done.Select(c => c.Kind == "block-shared-sign-in" ? c.Parameter("upn") : c.ResourceId).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>The shared mailbox's account: never given its sign-in back while another open containment holds it.</summary>
    public IReadOnlyList<string> Principals(OriginalStep original, string? item) =>
        [item!, .. OriginalStep.Property(MailRelease.Find(original.Before, null, "upn", item!), "userId")?.GetString() is { } id ? [id] : Array.Empty<string>()];

    public async Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken)
    {
        var upn = step.Item!;
        var before = MailRelease.Find(original.Before, null, "upn", upn);
        var after = MailRelease.Find(original.After, null, "upn", upn);
        var userId = OriginalStep.Property(before, "userId")?.GetString();
        var now = await ReadAsync(upn, userId, cancellationToken);
        var evidence = new List<Evidence>
        {
            new("Containment entry", original.EntryId),
            new("Before the containment", Describe(MailRelease.Bool(before, "accountEnabled"), MailRelease.Strings(before, "enabledProtocols"))),
            new("After the containment", Describe(MailRelease.Bool(after, "accountEnabled"), MailRelease.Strings(after, "enabledProtocols"))),
            new("Now", Describe(now.AccountEnabled, now.Protocols)),
        };
        if (before is null || now.AccountEnabled != MailRelease.Bool(after, "accountEnabled")
            || !now.Protocols.Order().SequenceEqual(MailRelease.Strings(after, "enabledProtocols").Order(), StringComparer.OrdinalIgnoreCase))
        {
            return Plans.NothingToDo(step.Step, $"{upn} changed since the containment (or was not journaled): left as it is.", evidence, null,
                ["Changed since the containment: nothing is overwritten."]);
        }

        var changes = new List<PlannedChange>();
        if (MailRelease.Bool(before, "accountEnabled") == true && now.AccountEnabled == false && userId is not null)
        {
            changes.Add(new EnableSharedSignIn(userId, $"Re-enable sign-in of the shared mailbox account {upn}"));
        }

        var protocols = MailRelease.Strings(before, "enabledProtocols");
        if (protocols.Count > 0)
        {
            changes.Add(new RestoreSharedProtocols(upn, $"Turn {string.Join(", ", protocols.Select(p => p.Replace("Enabled", string.Empty, StringComparison.Ordinal)))} back on for {upn}", protocols));
        }

        return changes.Count == 0
            ? Plans.NothingToDo(step.Step, $"Nothing of {upn} to restore.", evidence)
            : Plans.Change(step.Step, $"Restore direct access to the shared mailbox {upn}, as before the containment.", evidence, changes,
                ["A shared mailbox is normally reached through delegation only (the sheet): re-enable its direct sign-in only if it is really needed."]);
    }

    public async Task<ApplyResult> ApplyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes)
        {
            results.Add(await Results.RunChangeAsync(change, async () =>
            {
                if (change is EnableSharedSignIn)
                {
                    await graph.Users[change.ResourceId].PatchAsync(new User { AccountEnabled = true }, cancellationToken: cancellationToken);
                    return ChangeOutcome.Done;
                }

                var command = ((RestoreSharedProtocols)change).Protocols.Aggregate(
                    ExchangeCommand.For("Set-CASMailbox").AnchoredTo(change.ResourceId).With("Identity", change.ResourceId), (c, p) => c.With(p, true));
                return Mail.OutcomeOf(await exchange.InvokeAsync(command, cancellationToken));
            }));
        }

        return Results.From(step.Step, results, $"Direct access to {step.Item} restored.", null, null, plan.Warnings);
    }

    public async Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var userId = plan.Changes.OfType<EnableSharedSignIn>().FirstOrDefault()?.ResourceId;
        var now = await ReadAsync(step.Item!, userId, cancellationToken);
        var wanted = plan.Changes.OfType<RestoreSharedProtocols>().FirstOrDefault()?.Protocols ?? [];
        return (userId is null || now.AccountEnabled == true) && wanted.All(p => now.Protocols.Contains(p, StringComparer.OrdinalIgnoreCase))
            ? Results.Verified(step.Step, $"{step.Item}: {Describe(now.AccountEnabled, now.Protocols)}.")
            : Results.Mismatch(step.Step, $"{step.Item} is not as planned: {Describe(now.AccountEnabled, now.Protocols)}.");
    }

    private async Task<(bool? AccountEnabled, IReadOnlyList<string> Protocols)> ReadAsync(string upn, string? userId, CancellationToken cancellationToken)
    {
        var cas = await MailRelease.CasMailboxAsync(exchange, upn, cancellationToken);
        var user = userId is null ? null : await directory.FindUserAsync(userId, cancellationToken);
        string[] all = ["MAPIEnabled", "OWAEnabled", "ImapEnabled", "PopEnabled", "EwsEnabled", "ActiveSyncEnabled"];
        return (user?.AccountEnabled, [.. all.Where(p => Mail.Bool(cas, p) == true)]);
    }

    private static string Describe(bool? accountEnabled, IReadOnlyList<string> protocols) =>
        $"sign-in {MailRelease.OnOff(accountEnabled, "unknown")}; direct protocols: {(protocols.Count == 0 ? "none" : string.Join(", ", protocols.Select(p => p.Replace("Enabled", string.Empty, StringComparison.Ordinal))))}";
}
