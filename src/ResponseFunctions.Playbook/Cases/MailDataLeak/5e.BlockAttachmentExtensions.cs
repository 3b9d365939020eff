using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Exchange;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.MailDataLeak;

/// <summary>The configured extensions merged into the default malware filter's file filter, switched on; <see cref="Add"/> is what the plan saw missing.</summary>
public sealed record MergeMalwareFileTypes(string ResourceId, string Description, IReadOnlyList<string> Add) : PlannedChange(ResourceId, Description);

/// <summary>The incident's attachment rule created, extended or enabled; <see cref="Add"/> is what the plan saw missing.</summary>
public sealed record EnsureAttachmentRule(string ResourceId, string Description, IReadOnlyList<string> Add) : PlannedChange(ResourceId, Description);

/// <summary>
/// 5.e — Block dangerous attachment types: merge the configured extensions into the default malware filter policy's
/// file filter and switch it on (-FileTypes replaces the whole list: read, merge, write), and, when the incident
/// named its own extensions, a transport rule rejecting them (it also looks inside archives).
/// </summary>
/// <remarks>Exchange: Get-/Set-MalwareFilterPolicy, Get-/New-/Set-/Enable-TransportRule. Permissions: the catalog row.</remarks>
public sealed class BlockAttachmentExtensions(IExchangeOnline exchange, IOptions<ContainmentPolicy> policy, ChangeRunner runner)
    : ContainmentAction<AttachmentBlocking>(runner)
{
    public override ActionId Id { get; } = ActionId.Parse("5.e");

    private MailContainment Settings => policy.Value.Mail;

    protected internal override Task<AttachmentBlocking> ReadAsync(StepContext step, CancellationToken cancellationToken) =>
        AttachmentBlocking.ReadAsync(exchange, Settings, cancellationToken);

    protected override ActionPlan Plan(StepContext step, AttachmentBlocking state, GuardVerdict verdict)
    {
        var changes = new List<PlannedChange>();
        var missing = AttachmentBlocking.Missing(Settings.BlockedAttachmentExtensions, state.FileTypes);
        var evidence = new List<Evidence>
        {
            new($"Malware filter policy \"{state.PolicyIdentity}\"", $"file filter {(state.FileFilterEnabled ? "on" : "OFF")}, {state.FileTypes.Count} type(s); missing: {(missing.Count == 0 ? "none" : string.Join(", ", missing))}"),
        };
        if (missing.Count > 0 || !state.FileFilterEnabled)
        {
            changes.Add(new MergeMalwareFileTypes(state.PolicyIdentity,
                $"Add {(missing.Count == 0 ? "no type" : string.Join(", ", missing))} to the file filter of \"{state.PolicyIdentity}\" and switch it on", missing));
        }

        if (Settings.IncidentAttachmentExtensions.Count > 0)
        {
            var ruleMissing = AttachmentBlocking.Missing(Settings.IncidentAttachmentExtensions, state.RuleExtensions ?? []);
            evidence.Add(new Evidence($"Transport rule \"{Settings.AttachmentRuleName}\"", state.RuleExtensions is null ? "absent" : string.Join(", ", state.RuleExtensions)));
            if (state.RuleExtensions is null || ruleMissing.Count > 0 || !state.RuleEnabled)
            {
                changes.Add(new EnsureAttachmentRule(Settings.AttachmentRuleName,
                    $"{(state.RuleExtensions is null ? "Create" : "Extend")} the transport rule \"{Settings.AttachmentRuleName}\" rejecting {string.Join(", ", Settings.IncidentAttachmentExtensions)}", ruleMissing));
            }
        }

        var before = Snapshot.Of(state);
        return changes.Count == 0
            ? Plans.NothingToDo(step, "The dangerous attachment types are already blocked.", evidence, before)
            : Plans.Change(step, "Block the dangerous attachment types.", evidence, changes, before: before);
    }

    /// <summary>Merged with the lists read at apply time: -FileTypes replaces the list, so what someone added since the plan is kept.</summary>
    protected internal override Task<ChangeOutcome> ApplyChangeAsync(StepContext step, AttachmentBlocking before, PlannedChange change, CancellationToken cancellationToken) => change switch
    {
        MergeMalwareFileTypes => MergeAsync(before, change.ResourceId, cancellationToken),
        EnsureAttachmentRule => AttachmentRule.EnsureAsync(exchange, Settings, before, cancellationToken),
        _ => throw new InvalidOperationException($"5.e has no change of kind {change.Kind}."),
    };

    /// <summary>
    /// Both changes add protection: a 404 (the default malware filter policy or the rule gone under us, the cmdlet
    /// refusing the new rule) leaves the attachments unblocked, so it is a failure, not "already done".
    /// </summary>
    protected internal override bool GoneMeansDone(PlannedChange change) => change is not (EnsureAttachmentRule or MergeMalwareFileTypes);

    protected internal override string Summarize(StepContext step, AttachmentBlocking before, AttachmentBlocking after, IReadOnlyList<ChangeResult> results) =>
        $"File filter on with {after.FileTypes.Count} type(s).";

    public override async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var state = await ReadAsync(step, cancellationToken);
        var problems = new List<string>();
        if (plan.Changes.Any(c => c is MergeMalwareFileTypes) && (!state.FileFilterEnabled || AttachmentBlocking.Missing(Settings.BlockedAttachmentExtensions, state.FileTypes).Count > 0))
        {
            problems.Add($"the file filter of \"{state.PolicyIdentity}\" is off or incomplete");
        }

        if (plan.Changes.Any(c => c is EnsureAttachmentRule) && (state.RuleExtensions is null || AttachmentBlocking.Missing(Settings.IncidentAttachmentExtensions, state.RuleExtensions).Count > 0))
        {
            problems.Add($"the transport rule \"{Settings.AttachmentRuleName}\" is missing or incomplete");
        }

        return problems.Count == 0 ? Results.Verified(step, "The dangerous attachment types are blocked.") : Results.Mismatch(step, string.Join("; ", problems) + ".");
    }

    private async Task<ChangeOutcome> MergeAsync(AttachmentBlocking current, string policyIdentity, CancellationToken cancellationToken)
    {
        var missing = AttachmentBlocking.Missing(Settings.BlockedAttachmentExtensions, current.FileTypes);
        if (missing.Count == 0 && current.FileFilterEnabled)
        {
            return ChangeOutcome.AlreadyDone;
        }

        return Mail.OutcomeOf(await exchange.InvokeAsync(ExchangeCommand.For("Set-MalwareFilterPolicy").With("Identity", policyIdentity)
            .With("FileTypes", [.. current.FileTypes, .. missing]).With("EnableFileFilter", true), cancellationToken));
    }
}
