using Microsoft.DurableTask.Client;

namespace ResponseFunctions.Cli.Bench;

/// <summary>
/// The largest orchestration history of a containment's instances (the containment and each of its waves), read from
/// the engine once the run is over: the figure that must not grow with the incident, since every replay reads it whole.
/// </summary>
internal static class HistoryMeter
{
    public sealed record Histories(int? MaxEvents, int Instances, string? Largest);

    public static async Task<Histories> MeasureAsync(DurableTaskClient client, string instanceId, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = instanceId }).WithCancellation(cancellationToken))
        {
            // The prefix also matches another incident's containment whose id merely starts alike; the containment and its waves only.
            if (instance.InstanceId == instanceId || instance.InstanceId.StartsWith(instanceId + ":", StringComparison.Ordinal))
            {
                ids.Add(instance.InstanceId);
            }
        }

        int? max = null;
        string? largest = null;
        foreach (var id in ids)
        {
            try
            {
                var events = (await client.GetOrchestrationHistoryAsync(id, cancellationToken)).Count;
                if (events > (max ?? -1))
                {
                    (max, largest) = (events, id);
                }
            }
            catch (NotSupportedException)
            {
                // An engine that does not serve histories leaves the figure out rather than guess it.
                return new Histories(null, ids.Count, null);
            }
        }

        return new Histories(max, ids.Count, largest);
    }
}
