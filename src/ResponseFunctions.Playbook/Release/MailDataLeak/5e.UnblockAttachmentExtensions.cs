using System.Text.Json;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using Mail = ResponseFunctions.Playbook.Cases.MailDataLeak.Mail;

namespace ResponseFunctions.Playbook.Release.MailDataLeak;

/// <summary>The extensions 5.e added taken out of the malware filter (the resource), and its file filter back as it was.</summary>
public sealed record RestoreMalwareFileTypes(string ResourceId, string Description, IReadOnlyList<string> Remove, bool FileFilterEnabled) : PlannedChange(ResourceId, Description);

/// <summary>The attachment transport rule 5.e created (the resource, by name), removed.</summary>
public sealed record RemoveAttachmentRule(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>
/// Release of 5.e, item by item: take the extensions the containment added out of the default malware filter (and its
/// file filter back off if it was off), and remove the attachment transport rule it created. Either item changed since
/// the containment (the list or the rule is not as 5.e left it: another incident or a person extended it) is left as it is.
/// </summary>
/// <remarks>Exchange: Get-/Set-MalwareFilterPolicy -FileTypes -EnableFileFilter, Get-/Remove-TransportRule.</remarks>
public sealed class UnblockAttachmentExtensions(IExchangeOnline exchange) : IReleaseAction
{
    private const string FileFilter = "file-filter";
    private const string AttachmentRule = "attachment-rule";

    public ActionId Id { get; } = ActionId.Parse("5.e");

    public IReadOnlyList<string?> Items(OriginalStep original) =>
        [.. original.Done.Select(c => c.Kind switch
        {
            "merge-malware-file-types" => FileFilter,
            "ensure-attachment-rule" => AttachmentRule,
            _ => null,
        }).OfType<string>().Distinct()];

    public async Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken)
    {
        var evidence = new List<Evidence> { new("Containment entry", original.EntryId) };
        if (step.Item == FileFilter)
        {
            var (policy, enabled, types) = await PolicyAsync(cancellationToken);
            var (before, after) = (MailRelease.Strings(original.Before, "fileTypes"), MailRelease.Strings(original.After, "fileTypes"));
            var added = after.Except(before, StringComparer.OrdinalIgnoreCase).ToList();
            evidence.AddRange([new("Added by the containment", string.Join(", ", added)), new("File filter now", $"{(enabled ? "on" : "off")}: {string.Join(", ", types)}")]);
            if (!types.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(after.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase)
                || enabled != (MailRelease.Bool(original.After, "fileFilterEnabled") == true))
            {
                return Plans.NothingToDo(step.Step, "The malware filter changed since the containment: left as it is.", evidence, null,
                    ["Changed since the containment: the file types or the file filter are not as the containment left them. Nothing is overwritten."]);
            }

            var wasEnabled = MailRelease.Bool(original.Before, "fileFilterEnabled") == true;
            return Plans.Change(step.Step, $"Take {string.Join(", ", added)} out of the malware filter \"{policy}\"{(wasEnabled ? string.Empty : " and switch its file filter back off")}.", evidence,
                [new RestoreMalwareFileTypes(policy, $"Remove {string.Join(", ", added)} from \"{policy}\"; file filter {(wasEnabled ? "on" : "off")}, as before", added, wasEnabled)],
                ["These extensions are dangerous in mail whatever the incident: keep them blocked unless they are needed."]);
        }

        var name = original.Done.First(c => c.Kind == "ensure-attachment-rule").ResourceId;
        var rule = await RuleAsync(name, cancellationToken);
        var afterExtensions = MailRelease.Strings(original.After, "ruleExtensions");
        evidence.Add(new("Rule now", rule is { } r ? string.Join(", ", Mail.Strings(r, "AttachmentExtensionMatchesWords")) : "none"));
        if (OriginalStep.Property(original.Before, "ruleExtensions") is not null)
        {
            return Plans.NothingToDo(step.Step, $"\"{name}\" existed before the containment: it is kept.", evidence);
        }

        return rule is not { } now
            ? Plans.NothingToDo(step.Step, $"\"{name}\" is gone already.", evidence)
            : !Mail.Strings(now, "AttachmentExtensionMatchesWords").Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(afterExtensions.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase)
                ? Plans.NothingToDo(step.Step, $"\"{name}\" changed since the containment (another incident or a person extended it): it is kept.", evidence, null,
                    ["Changed since the containment. Nothing is overwritten."])
                : Plans.Change(step.Step, $"Remove the attachment rule \"{name}\" the containment created.", evidence,
                    [new RemoveAttachmentRule(name, $"Remove the transport rule \"{name}\" (rejects {string.Join(", ", afterExtensions)})")]);
    }

    public async Task<ApplyResult> ApplyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var change = plan.Changes.Single();
        var result = await Results.RunChangeAsync(change, async () =>
        {
            if (change is RemoveAttachmentRule)
            {
                if (await RuleAsync(change.ResourceId, cancellationToken) is null)
                {
                    return ChangeOutcome.AlreadyDone;
                }

                await exchange.InvokeAsync(ExchangeCommand.For("Remove-TransportRule").With("Identity", change.ResourceId).With("Confirm", false), cancellationToken);
                return ChangeOutcome.Done;
            }

            var (_, _, types) = await PolicyAsync(cancellationToken);
            var restore = (RestoreMalwareFileTypes)change;
            return Mail.OutcomeOf(await exchange.InvokeAsync(ExchangeCommand.For("Set-MalwareFilterPolicy").With("Identity", change.ResourceId)
                .With("FileTypes", types.Where(t => !restore.Remove.Contains(t, StringComparer.OrdinalIgnoreCase))).With("EnableFileFilter", restore.FileFilterEnabled), cancellationToken));
        });
        return Results.From(step.Step, [result], change.Description, null, null, plan.Warnings);
    }

    public async Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var change = plan.Changes.Single();
        bool ok;
        if (change is not RestoreMalwareFileTypes restore)
        {
            ok = await RuleAsync(change.ResourceId, cancellationToken) is null;
        }
        else
        {
            var (_, enabled, types) = await PolicyAsync(cancellationToken);
            ok = enabled == restore.FileFilterEnabled && !types.Intersect(restore.Remove, StringComparer.OrdinalIgnoreCase).Any();
        }

        return ok ? Results.Verified(step.Step, change.Description) : Results.Mismatch(step.Step, $"Not as planned: {change.Description}.");
    }

    private async Task<(string Identity, bool Enabled, IReadOnlyList<string> Types)> PolicyAsync(CancellationToken cancellationToken)
    {
        var policies = await exchange.InvokeAsync(ExchangeCommand.For("Get-MalwareFilterPolicy"), cancellationToken);
        var policy = policies.Cast<JsonElement?>().FirstOrDefault(p => Mail.Bool(p!.Value, "IsDefault") == true)
                     ?? policies.Cast<JsonElement?>().FirstOrDefault(p => Mail.Str(p!.Value, "Identity") == "Default")
                     ?? throw new ExchangeCommandException("Get-MalwareFilterPolicy", null, "NoDefaultPolicy", "ObjectNotFound", "The tenant has no default malware filter policy.", false);
        return (Mail.Str(policy, "Identity") ?? "Default", Mail.Bool(policy, "EnableFileFilter") == true, Mail.Strings(policy, "FileTypes"));
    }

    private async Task<JsonElement?> RuleAsync(string name, CancellationToken cancellationToken) =>
        (await exchange.InvokeAsync(ExchangeCommand.For("Get-TransportRule"), cancellationToken)).Cast<JsonElement?>()
            .FirstOrDefault(r => string.Equals(Mail.Str(r!.Value, "Name"), name, StringComparison.OrdinalIgnoreCase));
}
