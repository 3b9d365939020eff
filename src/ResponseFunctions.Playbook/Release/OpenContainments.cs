using Microsoft.DurableTask.Client;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Release;

/// <summary>
/// What a release starter reads from the task hub before starting one: the other incidents whose containment is still
/// in force (every contain-mode containment whose all-reversible release has not completed), whether a release of
/// this incident is already running, and the applied steps a release could undo.
/// </summary>
public static class OpenContainments
{
    public static async Task<IReadOnlyList<string>> OtherIncidentsAsync(DurableTaskClient client, string incidentId, CancellationToken cancellationToken)
    {
        var open = new List<string>();
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "containment-", FetchInputsAndOutputs = true }).WithCancellation(cancellationToken))
        {
            if (ContainmentState.IncidentIdOf(instance) is not { } other || other.Equals(incidentId, StringComparison.OrdinalIgnoreCase)
                || ContainmentState.ReadStatus(instance)?.Mode == ContainmentMode.Plan)
            {
                continue;
            }

            var released = await client.GetInstanceAsync(ReleaseIds.For(other, ReleaseSelection.All), getInputsAndOutputs: false, cancellation: cancellationToken);
            if (released?.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
            {
                open.Add(other);
            }
        }

        return open;
    }

    /// <summary>A release of the incident still running (one at a time per incident), or null.</summary>
    public static async Task<OrchestrationMetadata?> RunningReleaseAsync(DurableTaskClient client, string incidentId, CancellationToken cancellationToken)
    {
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = ReleaseIds.PrefixFor(incidentId) }).WithCancellation(cancellationToken))
        {
            if (ContainmentState.IsActive(instance))
            {
                return instance;
            }
        }

        return null;
    }

    /// <summary>The containment's applied steps (apply entries) a release could undo.</summary>
    public static IReadOnlyList<JournalEntry> AppliedSteps(string containmentInstanceId, IReadOnlyList<JournalEntry> journal) =>
        [.. journal.Where(e => e.Id.StartsWith(containmentInstanceId + "/", StringComparison.OrdinalIgnoreCase) && e.Id.EndsWith("/apply", StringComparison.Ordinal)
            && e.Outcome is "apply:applied" or "apply:partially-applied")];

    /// <summary>The selection's problems against what the containment applied: an item that matches no applied step is named.</summary>
    public static IReadOnlyList<RequestProblem> Unmatched(ReleaseSelection selection, IReadOnlyList<JournalEntry> applied)
    {
        if (selection.AllReversible)
        {
            return [];
        }

        var problems = new List<RequestProblem>();
        for (var i = 0; i < selection.Items.Count; i++)
        {
            var item = selection.Items[i];
            if (!applied.Any(e => Catalog.ActionId.TryParse(e.Action, out var action) && item.Matches(action, e.Target)))
            {
                problems.Add(new($"steps[{i}]", $"The containment applied no {item.Action} step{(item.Target is null ? string.Empty : $" on '{item.Target}'")}: nothing to release."));
            }
        }

        return problems;
    }
}
