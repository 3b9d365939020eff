using System.Text.Json;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.MailDataLeak;

/// <summary>
/// 5.e — Block dangerous attachment types: merge the configured extensions into the default malware filter policy's
/// file filter and switch it on (-FileTypes replaces the whole list: read, merge, write), and, when the incident
/// named its own extensions, a transport rule rejecting them (it also looks inside archives).
/// </summary>
/// <remarks>Exchange: Get-/Set-MalwareFilterPolicy, Get-/New-/Set-TransportRule.</remarks>
public sealed class BlockAttachmentExtensions(IExchangeOnline exchange, IOptions<ContainmentPolicy> policy) : IContainmentAction
{
    private const string MergeFileTypes = "merge-malware-file-types";
    private const string EnsureRule = "ensure-attachment-rule";
    private const string RejectReason = "Attachments of this type are blocked for security reasons (incident containment).";

    public ActionId Id { get; } = ActionId.Parse("5.e");

    private MailContainment Settings => policy.Value.Mail;

    public async Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken)
    {
        var state = await ReadAsync(cancellationToken);
        var changes = new List<PlannedChange>();
        var missing = Missing(Settings.BlockedAttachmentExtensions, state.FileTypes);
        var evidence = new List<Evidence>
        {
            new($"Malware filter policy \"{state.PolicyIdentity}\"", $"file filter {(state.FileFilterEnabled ? "on" : "OFF")}, {state.FileTypes.Count} type(s); missing: {(missing.Count == 0 ? "none" : string.Join(", ", missing))}"),
        };
        if (missing.Count > 0 || !state.FileFilterEnabled)
        {
            changes.Add(new UntypedChange(MergeFileTypes, state.PolicyIdentity,
                $"Add {(missing.Count == 0 ? "no type" : string.Join(", ", missing))} to the file filter of \"{state.PolicyIdentity}\" and switch it on",
                Mail.Params(("add", Mail.Join(missing)))));
        }

        if (Settings.IncidentAttachmentExtensions.Count > 0)
        {
            var ruleMissing = Missing(Settings.IncidentAttachmentExtensions, state.RuleExtensions ?? []);
            evidence.Add(new Evidence($"Transport rule \"{Settings.AttachmentRuleName}\"", state.RuleExtensions is null ? "absent" : string.Join(", ", state.RuleExtensions)));
            if (state.RuleExtensions is null || ruleMissing.Count > 0 || !state.RuleEnabled)
            {
                changes.Add(new UntypedChange(EnsureRule, Settings.AttachmentRuleName,
                    $"{(state.RuleExtensions is null ? "Create" : "Extend")} the transport rule \"{Settings.AttachmentRuleName}\" rejecting {string.Join(", ", Settings.IncidentAttachmentExtensions)}",
                    Mail.Params(("add", Mail.Join(ruleMissing)))));
            }
        }

        var before = Snapshot.Of(state);
        return changes.Count == 0
            ? Plans.NothingToDo(step, "The dangerous attachment types are already blocked.", evidence, before)
            : Plans.Change(step, "Block the dangerous attachment types.", evidence, changes, before: before);
    }

    public async Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var before = await ReadAsync(cancellationToken);
        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes)
        {
            results.Add(await Results.RunChangeAsync(change, () => change.Kind switch
            {
                MergeFileTypes => MergeAsync(change, cancellationToken),
                EnsureRule => EnsureRuleAsync(change, cancellationToken),
                _ => throw new InvalidOperationException($"5.e cannot apply '{change.Kind}'."),
            }));
        }

        var after = await ReadAsync(cancellationToken);
        return Results.From(step, results, $"File filter on with {after.FileTypes.Count} type(s).", Snapshot.Of(before), Snapshot.Of(after));
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var state = await ReadAsync(cancellationToken);
        var problems = new List<string>();
        if (plan.Changes.Any(c => c.Kind == MergeFileTypes) && (!state.FileFilterEnabled || Missing(Settings.BlockedAttachmentExtensions, state.FileTypes).Count > 0))
        {
            problems.Add($"the file filter of \"{state.PolicyIdentity}\" is off or incomplete");
        }

        if (plan.Changes.Any(c => c.Kind == EnsureRule) && (state.RuleExtensions is null || Missing(Settings.IncidentAttachmentExtensions, state.RuleExtensions).Count > 0))
        {
            problems.Add($"the transport rule \"{Settings.AttachmentRuleName}\" is missing or incomplete");
        }

        return problems.Count == 0 ? Results.Verified(step, "The dangerous attachment types are blocked.") : Results.Mismatch(step, string.Join("; ", problems) + ".");
    }

    /// <summary>Re-reads and merges at apply time: -FileTypes replaces the list, so what someone added since the plan is kept.</summary>
    private async Task<ChangeOutcome> MergeAsync(PlannedChange change, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(cancellationToken);
        var missing = Missing(Settings.BlockedAttachmentExtensions, current.FileTypes);
        if (missing.Count == 0 && current.FileFilterEnabled)
        {
            return ChangeOutcome.AlreadyDone;
        }

        return Mail.OutcomeOf(await exchange.InvokeAsync(ExchangeCommand.For("Set-MalwareFilterPolicy").With("Identity", change.ResourceId)
            .With("FileTypes", [.. current.FileTypes, .. missing]).With("EnableFileFilter", true), cancellationToken));
    }

    private async Task<ChangeOutcome> EnsureRuleAsync(PlannedChange change, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(cancellationToken);
        if (current.RuleExtensions is null)
        {
            await exchange.InvokeAsync(ExchangeCommand.For("New-TransportRule").With("Name", Settings.AttachmentRuleName)
                .With("AttachmentExtensionMatchesWords", Settings.IncidentAttachmentExtensions).With("RejectMessageReasonText", RejectReason)
                .With("RejectMessageEnhancedStatusCode", "5.7.1").With("Enabled", true), cancellationToken);
            return ChangeOutcome.Done;
        }

        var missing = Missing(Settings.IncidentAttachmentExtensions, current.RuleExtensions);
        var outcome = ChangeOutcome.AlreadyDone;
        if (missing.Count > 0)
        {
            outcome = Mail.OutcomeOf(await exchange.InvokeAsync(ExchangeCommand.For("Set-TransportRule").With("Identity", Settings.AttachmentRuleName)
                .With("AttachmentExtensionMatchesWords", [.. current.RuleExtensions, .. missing]), cancellationToken));
        }

        if (!current.RuleEnabled)
        {
            await exchange.InvokeAsync(ExchangeCommand.For("Enable-TransportRule").With("Identity", Settings.AttachmentRuleName), cancellationToken);
            outcome = ChangeOutcome.Done;
        }

        return outcome;
    }

    private static List<string> Missing(IEnumerable<string> wanted, IEnumerable<string> present) =>
        [.. wanted.Select(e => e.TrimStart('.').ToLowerInvariant()).Distinct().Except(present.Select(e => e.TrimStart('.').ToLowerInvariant()))];

    private async Task<AttachmentState> ReadAsync(CancellationToken cancellationToken)
    {
        var policies = await exchange.InvokeAsync(ExchangeCommand.For("Get-MalwareFilterPolicy"), cancellationToken);
        var policy = policies.Cast<JsonElement?>().FirstOrDefault(p => Mail.Bool(p!.Value, "IsDefault") == true)
                     ?? policies.Cast<JsonElement?>().FirstOrDefault(p => Mail.Str(p!.Value, "Identity") == "Default")
                     ?? throw new ExchangeCommandException("Get-MalwareFilterPolicy", null, "NoDefaultPolicy", "ObjectNotFound", "The tenant has no default malware filter policy.", false);
        JsonElement? rule = null;
        if (Settings.IncidentAttachmentExtensions.Count > 0)
        {
            rule = (await exchange.InvokeAsync(ExchangeCommand.For("Get-TransportRule"), cancellationToken)).Cast<JsonElement?>()
                .FirstOrDefault(r => string.Equals(Mail.Str(r!.Value, "Name"), Settings.AttachmentRuleName, StringComparison.OrdinalIgnoreCase));
        }

        return new AttachmentState(
            Mail.Str(policy, "Identity") ?? "Default",
            Mail.Bool(policy, "EnableFileFilter") == true,
            Mail.Strings(policy, "FileTypes"),
            rule is null ? null : Mail.Strings(rule.Value, "AttachmentExtensionMatchesWords"),
            rule is not null && string.Equals(Mail.Str(rule.Value, "State"), "Enabled", StringComparison.OrdinalIgnoreCase));
    }

    private sealed record AttachmentState(string PolicyIdentity, bool FileFilterEnabled, IReadOnlyList<string> FileTypes, IReadOnlyList<string>? RuleExtensions, bool RuleEnabled);
}
