using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace ResponseFunctions.Cli.Bench;

/// <summary>
/// Where the allocations went, by type: the runtime's own sampling (an <c>AllocationTick</c> event about every 100 KB
/// allocated, naming the type of the object that crossed the mark), heard in-process. A sample, not a count: the
/// figures are the bytes the samples stand for, good for comparing two runs, not for exact sizes.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const int GcKeyword = 0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    /// <summary>The <paramref name="count"/> types that allocated most, in MB, most first.</summary>
    public IReadOnlyDictionary<string, double> Top(int count) =>
        _bytes.OrderByDescending(t => t.Value).Take(count).ToDictionary(t => t.Key, t => Math.Round(t.Value / 1024d / 1024d, 1), StringComparer.Ordinal);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.PayloadNames is not { } names)
        {
            return;
        }

        var type = names.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload![t] as string ?? "?" : "?";
        var amount = names.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(eventData.Payload![a]) : 100_000;
        _bytes.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }
}
