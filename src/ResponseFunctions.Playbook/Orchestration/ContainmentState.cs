using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.DurableTask.Client;
using ResponseFunctions.Playbook.Journal;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// What the host's HTTP functions (and the approval page) read of a containment: its runtime status and small custom status from Durable, and its
/// full report (every step, pending decisions with what the approver must see) from the main courante.
/// </summary>
public sealed class ContainmentState(IJournal journal)
{
    // Lenient on purpose: whatever casing and enum form the worker's serializer stored, the status reads back.
    private static readonly JsonSerializerOptions StoredJson = CreateStoredJson();

    /// <summary>Accepts approval decisions: scheduled, running or suspended (events are buffered until it resumes).</summary>
    public static bool IsActive(OrchestrationMetadata instance) =>
        instance.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended;

    public static ContainmentStatus? ReadStatus(OrchestrationMetadata instance)
    {
        if (string.IsNullOrWhiteSpace(instance.SerializedCustomStatus))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ContainmentStatus>(instance.SerializedCustomStatus, StoredJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The report as the main courante tells it; null before the containment wrote anything.</summary>
    public async Task<ContainmentReport?> ReadReportAsync(OrchestrationMetadata instance, CancellationToken cancellationToken)
    {
        var status = ReadStatus(instance);
        if (IncidentIdOf(instance, status) is not { } incidentId)
        {
            return null;
        }

        var entries = await journal.ReadAsync(incidentId, cancellationToken);
        return entries.Count == 0 ? null : ContainmentJournalView.Read(instance.InstanceId, status, entries);
    }

    /// <summary>The incident a containment instance works on: its status names it, or (before it published one) its input.</summary>
    public static string? IncidentIdOf(OrchestrationMetadata instance, ContainmentStatus? status = null)
    {
        if ((status ?? ReadStatus(instance))?.IncidentId is { } incidentId)
        {
            return incidentId;
        }

        try
        {
            return instance.SerializedInput is { Length: > 0 } input
                ? JsonDocument.Parse(input).RootElement.EnumerateObject().FirstOrDefault(p => p.NameEquals("IncidentId") || p.NameEquals("incidentId")).Value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonSerializerOptions CreateStoredJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
