using System.Collections.Concurrent;
using System.Text.Json;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Journal;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// The incident scope of each containment, kept where it belongs rather than in every step's input: Prepare journals it
/// once (the <c>containment.prepared</c> entry), and each activity attaches it to its step from this process's cache or,
/// after a restart or on another worker, from that entry.
/// </summary>
public sealed class IncidentScopes(IJournal journal)
{
    private readonly ConcurrentDictionary<string, IncidentScope> _byInstance = new(StringComparer.Ordinal);

    public static string EntryId(string instanceId) => $"{instanceId}/00/prepared";

    /// <summary>Remembers <paramref name="scope"/> for <paramref name="instanceId"/>; the caller journals it.</summary>
    public void Remember(string instanceId, IncidentScope scope) => _byInstance[instanceId] = scope;

    public async Task<StepContext> AttachAsync(StepContext step, CancellationToken cancellationToken) =>
        step.HasScope ? step : step with { Scope = await ForAsync(step.InstanceId, step.IncidentId, cancellationToken) };

    private async Task<IncidentScope> ForAsync(string instanceId, string incidentId, CancellationToken cancellationToken)
    {
        if (_byInstance.TryGetValue(instanceId, out var scope))
        {
            return scope;
        }

        var id = EntryId(instanceId);
        var prepared = (await journal.ReadAsync(incidentId, cancellationToken)).LastOrDefault(e => e.Id == id)
            ?? throw new InvalidOperationException($"The main courante of {incidentId} has no '{id}' entry: containment {instanceId} was never prepared.");
        scope = prepared.Data?.Deserialize<IncidentScope>(JournalJson.Options)
            ?? throw new InvalidOperationException($"Entry '{id}' carries no incident scope.");
        return _byInstance.GetOrAdd(instanceId, scope);
    }
}
