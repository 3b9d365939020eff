using System.Text.Json;

namespace ResponseFunctions.SimulatedTenant;

/// <summary>
/// Every request any simulated tenant in this process answers, for the conformance check against Microsoft's
/// published contracts (Graph v1.0 CSDL, the Exchange Online cmdlet list). In-process observers see each request;
/// with RF_REQUEST_LOG_DIR set, each process also appends them (JSON Lines) to a file there, so a later run can
/// check what the whole test suite sent. Bodies are already password-redacted.
/// </summary>
public static class WireRecorder
{
    public const string DirectoryVariable = "RF_REQUEST_LOG_DIR";

    private static readonly Lock Gate = new();
    private static readonly string? FilePath = Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } dir
        ? Path.Combine(dir, $"requests-{Environment.ProcessId}-{Guid.NewGuid():N}.jsonl")
        : null;

    /// <summary>Raised for every request answered, on the answering thread.</summary>
    public static event Action<RecordedRequest>? Recorded;

    internal static void Record(RecordedRequest request)
    {
        Recorded?.Invoke(request);
        if (FilePath is null)
        {
            return;
        }

        var line = JsonSerializer.Serialize(request) + "\n";
        lock (Gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            File.AppendAllText(FilePath, line);
        }
    }
}
