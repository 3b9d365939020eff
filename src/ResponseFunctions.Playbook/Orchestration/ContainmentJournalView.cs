using System.Text.Json;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// A containment's full report, read back from its main courante: every step's plan, decision, apply and verify
/// outcome, and the decisions still awaited with everything the approver must see. The orchestration's custom status
/// stays small (<see cref="ContainmentStatus"/>); this is where the detail is served from, whatever the incident's size.
/// </summary>
public static class ContainmentJournalView
{
    public static ContainmentReport Read(string instanceId, ContainmentStatus? status, IReadOnlyList<JournalEntry> journal)
    {
        var prefix = instanceId + "/";
        var entries = journal.Where(e => e.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();
        var steps = new SortedDictionary<int, StepReport>();
        var requested = new SortedDictionary<int, ApprovalRequest>();
        var decided = new HashSet<int>();
        foreach (var entry in entries)
        {
            if (StepIndex(entry, prefix) is not { } index || !ActionId.TryParse(entry.Action, out var action))
            {
                if (entry.Action == JournalEvents.ApprovalRequested && entry.Data is { } data
                    && data.Deserialize<ApprovalRequest>(JournalJson.Options) is { } request)
                {
                    requested[request.StepIndex] = request;
                }

                continue;
            }

            var step = steps.TryGetValue(index, out var known) ? known : NewStep(index, action, entry.Target);
            var (phase, outcome) = Split(entry.Outcome);
            steps[index] = phase switch
            {
                "plan" => step with { Plan = ParseKebab<PlanStatus>(outcome), Summary = entry.Detail },
                // Only the gate's own outcome decides a step: the page's "submitted" and "awaiting a second approver" entries do not.
                "approval" when ApprovalOf(outcome) is { } decision => step with { Approval = decision, DecidedBy = entry.Actor },
                "apply" => step with { Apply = ParseKebab<ApplyOutcome>(outcome), Summary = entry.Detail },
                "verify" => step with { Verify = ParseKebab<VerifyOutcome>(outcome) },
                _ => step,
            };
            if (phase == "approval" && ApprovalOf(outcome) is not null)
            {
                decided.Add(index);
            }
        }

        var first = entries.FirstOrDefault(e => e.Action == JournalEvents.Started);
        var request0 = first?.Data?.Deserialize<ContainmentRequest>(JournalJson.Options);
        return new ContainmentReport(
            instanceId,
            status?.IncidentId ?? first?.IncidentId ?? string.Empty,
            status?.Mode ?? request0?.Mode ?? ContainmentMode.Contain,
            status?.Phase ?? (entries.Any(e => e.Action == JournalEvents.Completed) ? ContainmentPhase.Completed : ContainmentPhase.Planning),
            [.. steps.Values],
            [.. entries.Where(e => e.Action == JournalEvents.TargetUnresolved).Select(e => new UnresolvedTarget(e.Target, e.Detail))],
            [.. requested.Where(r => !decided.Contains(r.Key)).Select(r => r.Value)]);
    }

    private static StepReport NewStep(int index, ActionId action, string target)
    {
        var descriptor = ActionCatalog.Get(action);
        return new StepReport(index, action, descriptor.Title, descriptor.Priority, TargetOf(descriptor.Target, target));
    }

    /// <summary>Entries name their target as <see cref="ActionTarget.ToString"/> does: "name (id)", or "tenant".</summary>
    private static ActionTarget TargetOf(TargetKind kind, string written)
    {
        var open = written.LastIndexOf(" (", StringComparison.Ordinal);
        return kind == TargetKind.Tenant || open < 0 || !written.EndsWith(')')
            ? kind == TargetKind.Tenant ? ActionTarget.Tenant : new ActionTarget(kind, written, written)
            : new ActionTarget(kind, written[(open + 2)..^1], written[..open]);
    }

    /// <summary>Step entries are "{instance}/{step:00}/{phase}" (their action a sheet id); the containment's own events are not steps.</summary>
    private static int? StepIndex(JournalEntry entry, string prefix)
    {
        var rest = entry.Id.AsSpan(prefix.Length);
        var slash = rest.IndexOf('/');
        return slash > 0 && int.TryParse(rest[..slash], out var index) && index > 0 ? index : null;
    }

    private static (string Phase, string Outcome) Split(string outcome)
    {
        var colon = outcome.IndexOf(':');
        return colon < 0 ? (outcome, string.Empty) : (outcome[..colon], outcome[(colon + 1)..]);
    }

    private static ApprovalOutcome? ApprovalOf(string outcome) =>
        outcome == "timed-out-applied" ? ApprovalOutcome.PreApproved : ParseKebab<ApprovalOutcome>(outcome);

    private static TEnum? ParseKebab<TEnum>(string value)
        where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().Select(v => (TEnum?)v).FirstOrDefault(v => ContainmentActivities.Kebab(v!.Value) == value);
}
