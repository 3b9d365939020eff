using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.DurableTask.Client;
using ResponseFunctions.Playbook.Orchestration;

namespace ResponseFunctions.Containments;

/// <summary>What the HTTP functions read of a containment instance.</summary>
internal static class ContainmentState
{
    // Lenient on purpose: whatever casing and enum form the worker's serializer stored, the report reads back.
    private static readonly JsonSerializerOptions StoredJson = CreateStoredJson();

    /// <summary>Accepts approval decisions: scheduled, running or suspended (events are buffered until it resumes).</summary>
    public static bool IsActive(OrchestrationMetadata instance) =>
        instance.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended;

    /// <summary>The latest report: the output once finished, else the status the orchestration last published.</summary>
    public static ContainmentReport? ReadReport(OrchestrationMetadata instance)
    {
        foreach (var json in new[] { instance.SerializedOutput, instance.SerializedCustomStatus })
        {
            if (string.IsNullOrWhiteSpace(json))
            {
                continue;
            }

            try
            {
                if (JsonSerializer.Deserialize<ContainmentReport>(json, StoredJson) is { InstanceId: not null } report)
                {
                    return report;
                }
            }
            catch (JsonException)
            {
                // Not a report (e.g. a failed orchestration's output): try the next one.
            }
        }

        return null;
    }

    private static JsonSerializerOptions CreateStoredJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
