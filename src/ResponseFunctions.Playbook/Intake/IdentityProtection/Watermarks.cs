using System.Text.Json;

namespace ResponseFunctions.Playbook.Intake.IdentityProtection;

/// <summary>
/// How far polling got: the detectedDateTime of the last detection handled, and the ids already handled at exactly
/// that time. The next poll asks for "ge" the time and skips those ids, so detections sharing a timestamp are neither
/// skipped nor replayed.
/// </summary>
public sealed record Watermark(DateTimeOffset At, IReadOnlyList<string> IdsAtWatermark);

/// <summary>Where the watermark survives restarts: a file for the CLI and tests, a blob for the Functions host.</summary>
public interface IWatermarkStore
{
    Task<Watermark?> ReadAsync(string name, CancellationToken cancellationToken);

    Task WriteAsync(string name, Watermark watermark, CancellationToken cancellationToken);
}

/// <summary>One JSON file per watermark, replaced atomically (write then rename), so a crash never leaves half a watermark.</summary>
public sealed class FileWatermarkStore(string folder) : IWatermarkStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Folder { get; } = Path.GetFullPath(folder);

    public async Task<Watermark?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<Watermark>(stream, Json, cancellationToken);
    }

    public async Task WriteAsync(string name, Watermark watermark, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var path = PathOf(name);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(watermark, Json), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    private string PathOf(string name) => Path.Combine(Folder, $"{name}.watermark.json");
}
