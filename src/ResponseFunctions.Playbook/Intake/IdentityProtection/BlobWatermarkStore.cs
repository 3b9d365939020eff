using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using ResponseFunctions.Playbook.Journal.Blob;

namespace ResponseFunctions.Playbook.Intake.IdentityProtection;

/// <summary>
/// The Identity Protection watermark in a blob (<c>{container}/{name}.watermark.json</c>). Writes are conditional
/// on the ETag read (If-Match), or on the blob not existing yet (If-None-Match: *), so two overlapping polls cannot
/// move the watermark backwards: the loser fails and the next poll resumes from what the winner stored.
/// </summary>
public sealed class BlobWatermarkStore(BlobStore store, string container) : IWatermarkStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<string, ETag?> _etags = new(StringComparer.Ordinal);

    public async Task<Watermark?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        if (await store.ReadAsync(container, BlobName(name), cancellationToken) is not { } blob)
        {
            _etags[name] = null;
            return null;
        }

        _etags[name] = blob.ETag;
        return JsonSerializer.Deserialize<Watermark>(blob.Content, Json);
    }

    public async Task WriteAsync(string name, Watermark watermark, CancellationToken cancellationToken)
    {
        await store.EnsureContainerAsync(container, cancellationToken);
        var expected = _etags.TryGetValue(name, out var etag) ? etag : (await store.ReadAsync(container, BlobName(name), cancellationToken))?.ETag;
        var written = await store.ReplaceIfUnchangedAsync(container, BlobName(name), JsonSerializer.SerializeToUtf8Bytes(watermark, Json), expected, cancellationToken)
            ?? throw new IOException($"The watermark '{name}' was moved by another poll meanwhile; the next poll resumes from it.");
        _etags[name] = written;
    }

    private static string BlobName(string name) => $"{name}.watermark.json";
}
