namespace ResponseFunctions.SimulatedTenant;

/// <summary>Every Graph request received (control endpoints under /_sim excluded), in the order answered.</summary>
public sealed class RequestLog
{
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _entries = [];

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_gate)
        {
            return [.. _entries];
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }

    /// <summary>Requests with this method (null = any) whose decoded path and query contains the text (case-insensitive).</summary>
    public IReadOnlyList<RecordedRequest> Find(string? method, string pathContains) =>
        Snapshot().Where(r => Matches(r, method, pathContains)).ToList();

    public int Count(string? method, string pathContains) => Find(method, pathContains).Count;

    internal void Add(RecordedRequest request)
    {
        lock (_gate)
        {
            _entries.Add(request);
        }

        WireRecorder.Record(request);
    }

    private static bool Matches(RecordedRequest r, string? method, string pathContains) =>
        (method is null || string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase))
        && r.PathAndQuery.Contains(pathContains, StringComparison.OrdinalIgnoreCase);
}
