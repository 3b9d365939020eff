using System.Globalization;
using System.Text.Json;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using Mail = ResponseFunctions.Playbook.Cases.MailDataLeak.Mail;

namespace ResponseFunctions.Playbook.Release.SpamRelay;

/// <summary>An allow entry 4.a removed, re-created as journaled (its notes and expiry). The service gives it a new identity.</summary>
public sealed record RecreateAllowEntry(string ResourceId, string Description, string ListType, string Value, string? Notes, DateTimeOffset? ExpirationDate)
    : PlannedChange(ResourceId, Description);

/// <summary>A block entry 4.a added for this incident, removed by its identity.</summary>
public sealed record RemoveIncidentBlockEntry(string ResourceId, string Description, string ListType, string Value) : PlannedChange(ResourceId, Description);

/// <summary>
/// Release of 4.a, item by item: first each block entry this incident added leaves the tenant block list, then each
/// allow entry the containment removed is re-created from its journaled definition. What the release compares is the
/// journaled before/after of the list (an entry in "before" and not "after" was removed, one in "after" and not
/// "before" was added), so it reads the same whatever the journaled change records look like. An entry changed since
/// (a block replaced or re-dated, a value allowed or blocked by someone else) is shown and left as it is.
/// </summary>
/// <remarks>Exchange: Get-/New-/Remove-TenantAllowBlockListItems, as 4.a. The service refuses an allow entry beside a block
/// entry of the same value, so the block items come first; an allow item whose block is still there (its release rejected) fails, named.</remarks>
public sealed class RestoreAllowBlockEntries(IExchangeOnline exchange, TimeProvider time) : IReleaseAction
{
    private const string Unblock = "unblock";
    private const string Allow = "allow";

    public ActionId Id { get; } = ActionId.Parse("4.a");

    /// <summary>"unblock:Sender:value" for each block entry added, then "allow:Url:value" for each allow entry removed.</summary>
    public IReadOnlyList<string?> Items(OriginalStep original) =>
        [.. Added(original).Select(e => $"{Unblock}:{e.ListType}:{e.Value}"), .. Removed(original).Select(e => $"{Allow}:{e.ListType}:{e.Value}")];

    public async Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken)
    {
        var (kind, listType, value) = Split(step.Item!);
        var now = (await ReadAsync(listType, cancellationToken)).FirstOrDefault(e => Same(e.Value, value));
        var journaled = (kind == Unblock ? Added(original) : Removed(original)).First(e => e.ListType == listType && Same(e.Value, value));
        var evidence = new List<Evidence>
        {
            new("Containment entry", original.EntryId),
            new(kind == Unblock ? "Added by the containment" : "Removed by the containment", journaled.Describe()),
            new("Now", now?.Describe() ?? "no entry"),
        };
        if (kind == Unblock)
        {
            return now is null
                ? Plans.NothingToDo(step.Step, $"The block entry {listType} {value} is gone already.", evidence)
                : now.Identity != journaled.Identity || now.Action != "Block" || now.LastModified != journaled.LastModified
                    ? Plans.NothingToDo(step.Step, $"The entry {listType} {value} changed since the containment: left as it is.", evidence, null,
                        [$"Changed since the containment: {now.Describe()} (the containment added {journaled.Describe()}). Nothing is overwritten."])
                    : Plans.Change(step.Step, $"Remove the block entry {listType} {value} this incident added.", evidence,
                        [new RemoveIncidentBlockEntry(now.Identity, $"Remove the block entry {listType} {value} (added by the containment)", listType, value)],
                        [$"Mail from {value} is no longer blocked by the tenant block list once this is removed."]);
        }

        if (now?.Action == "Allow")
        {
            return Plans.NothingToDo(step.Step, $"{listType} {value} is allowed again since the containment: left as it is.", evidence, null,
                ["Changed since the containment: an allow entry exists again. Nothing is overwritten."]);
        }

        var warnings = new List<string> { $"This allow entry was removed as suspicious: add {value} to Containment:Mail:AllowListBaseline if it is legitimate, or a later containment removes it again." };
        if (now is not null)
        {
            if (!Added(original).Any(a => a.Identity == now.Identity && a.LastModified == now.LastModified))
            {
                return Plans.NothingToDo(step.Step, $"{listType} {value} was blocked since the containment, not by it: left as it is.", evidence, null,
                    [$"Changed since the containment: {now.Describe()}. Nothing is overwritten."]);
            }

            warnings.Add($"The block entry this incident added for {value} must be released first (item {Unblock}:{listType}:{value}): while it is there, this item fails.");
        }

        var expiry = journaled.ExpirationDate;
        if (expiry is { } date && date <= time.GetUtcNow())
        {
            return Plans.NothingToDo(step.Step, $"The allow entry {listType} {value} would have expired on {date:u}: not re-created.", evidence);
        }

        return Plans.Change(step.Step, $"Re-create the allow entry {listType} {value} as it was before the containment.", evidence,
            [new RecreateAllowEntry(value, $"Allow {listType} {value} again ({(expiry is { } d ? $"until {d:u}" : "no expiry")}; notes \"{journaled.Notes}\")",
                listType, value, journaled.Notes, expiry)],
            warnings);
    }

    public async Task<ApplyResult> ApplyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var change = plan.Changes.Single();
        var result = change switch
        {
            RemoveIncidentBlockEntry block => await Results.RunChangeAsync(change, () => RemoveBlockAsync(block, cancellationToken)),
            RecreateAllowEntry allow => await RecreateAsync(allow, cancellationToken),
            _ => throw new InvalidOperationException($"The release of 4.a cannot apply '{change.Kind}'."),
        };
        return Results.From(step.Step, [result], change.Description, null, null, plan.Warnings);
    }

    public async Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var change = plan.Changes.Single();
        var entries = await ReadAsync(change is RecreateAllowEntry a ? a.ListType : ((RemoveIncidentBlockEntry)change).ListType, cancellationToken);
        var ok = change is RecreateAllowEntry allow
            ? entries.Any(e => e.Action == "Allow" && Same(e.Value, allow.Value))
            : entries.All(e => e.Identity != change.ResourceId);
        return ok ? Results.Verified(step.Step, change.Description) : Results.Mismatch(step.Step, $"Not as planned: {change.Description}.");
    }

    private async Task<ChangeOutcome> RemoveBlockAsync(RemoveIncidentBlockEntry block, CancellationToken cancellationToken)
    {
        if ((await ReadAsync(block.ListType, cancellationToken)).All(e => e.Identity != block.ResourceId))
        {
            return ChangeOutcome.AlreadyDone;
        }

        await exchange.InvokeAsync(ExchangeCommand.For("Remove-TenantAllowBlockListItems").With("ListType", block.ListType).With("Ids", [block.ResourceId]), cancellationToken);
        return ChangeOutcome.Done;
    }

    private async Task<ChangeResult> RecreateAsync(RecreateAllowEntry allow, CancellationToken cancellationToken)
    {
        var now = (await ReadAsync(allow.ListType, cancellationToken)).FirstOrDefault(e => Same(e.Value, allow.Value));
        if (now?.Action == "Allow")
        {
            return new ChangeResult(allow, ChangeOutcome.AlreadyDone);
        }

        if (now is not null)
        {
            return new ChangeResult(allow, ChangeOutcome.Failed, new ErrorInfo(ErrorKind.BadRequest, "BlockedNow",
                $"{allow.ListType} {allow.Value} is blocked ({now.Identity}): the service refuses an allow entry beside it. Release its block entry first."));
        }

        var command = ExchangeCommand.For("New-TenantAllowBlockListItems").With("ListType", allow.ListType).Switch("Allow")
            .With("Entries", [allow.Value]).With("Notes", allow.Notes ?? string.Empty);
        command = allow.ExpirationDate is { } expiry ? command.With("ExpirationDate", expiry.UtcDateTime.ToString("o", CultureInfo.InvariantCulture)) : command.Switch("NoExpiration");
        return await Results.RunChangeAsync(allow, async () =>
        {
            await exchange.InvokeAsync(command, cancellationToken);
            return ChangeOutcome.Done;
        });
    }

    private async Task<IReadOnlyList<Entry>> ReadAsync(string listType, CancellationToken cancellationToken) =>
        [.. (await exchange.InvokeAsync(ExchangeCommand.For("Get-TenantAllowBlockListItems").With("ListType", listType), cancellationToken))
            .Select(i => new Entry(listType, Mail.Str(i, "Identity") ?? "?", Mail.Str(i, "Value") ?? "?", Mail.Str(i, "Action") ?? "?",
                Mail.Date(i, "LastModifiedDateTime"), Mail.Str(i, "Notes"), Mail.Date(i, "ExpirationDate")))];

    /// <summary>The allow entries in the journaled before-state and not in the after-state: those the containment removed.</summary>
    private static IEnumerable<Entry> Removed(OriginalStep original)
    {
        var after = Journaled(original.After).Select(e => e.Identity).ToHashSet(StringComparer.Ordinal);
        return Journaled(original.Before).Where(e => e.Action == "Allow" && !after.Contains(e.Identity));
    }

    /// <summary>The block entries in the journaled after-state whose value was not blocked before: those this incident added.</summary>
    private static IEnumerable<Entry> Added(OriginalStep original)
    {
        var before = Journaled(original.Before).ToList();
        return Journaled(original.After).Where(e => e.Action == "Block" && !before.Any(b => b.ListType == e.ListType && b.Action == "Block" && Same(b.Value, e.Value)));
    }

    /// <summary>4.a journals each entry as { listType, identity, value, action, lastModified, properties: the cmdlet's object }.</summary>
    private static IEnumerable<Entry> Journaled(JsonElement? state) =>
        state is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Select(e => OriginalStep.Property(e, "properties") is { } p
                ? new Entry(Mail.Str(e, "listType") ?? "?", Mail.Str(e, "identity") ?? "?", Mail.Str(e, "value") ?? "?", Mail.Str(e, "action") ?? "?",
                    Mail.Date(e, "lastModified"), Mail.Str(p, "Notes"), Mail.Date(p, "ExpirationDate"))
                : new Entry(Mail.Str(e, "listType") ?? "?", Mail.Str(e, "identity") ?? "?", Mail.Str(e, "value") ?? "?", Mail.Str(e, "action") ?? "?",
                    Mail.Date(e, "lastModified"), null, null))
            : [];

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static (string Kind, string ListType, string Value) Split(string item)
    {
        var parts = item.Split(':', 3);
        return (parts[0], parts[1], parts[2]);
    }

    private sealed record Entry(string ListType, string Identity, string Value, string Action, DateTimeOffset? LastModified, string? Notes, DateTimeOffset? ExpirationDate)
    {
        public string Describe() => $"{Action} {ListType} {Value} (id {Identity}, modified {LastModified:u}{(string.IsNullOrEmpty(Notes) ? string.Empty : $", notes \"{Notes}\"")})";
    }
}
