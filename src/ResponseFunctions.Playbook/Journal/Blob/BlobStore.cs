using Azure;
using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace ResponseFunctions.Playbook.Journal.Blob;

/// <summary>
/// The few Blob service operations the journal, the approval-link ledger, the intake watermark and the tenant-wide
/// guard lock need, through Azure.Storage.Blobs: append blobs with append-position and ETag conditions, create-once
/// with If-None-Match: *, conditional overwrite with If-Match, and blob leases. In Azure the account is reached with
/// the app's shared <see cref="TokenCredential"/> (DefaultAzureCredential / managed identity, Storage Blob Data
/// Contributor); in tests and locally with a connection string (Azurite).
/// </summary>
public sealed class BlobStore
{
    private readonly BlobServiceClient _service;

    private BlobStore(BlobServiceClient service) => _service = service;

    public Uri ServiceUri => _service.Uri;

    public static BlobStore WithCredential(Uri serviceUri, TokenCredential credential) => new(new BlobServiceClient(serviceUri, credential, Options()));

    /// <summary>"UseDevelopmentStorage=true" or an AccountName/AccountKey/BlobEndpoint connection string (Azurite, or accounts that still allow keys).</summary>
    public static BlobStore FromConnectionString(string connectionString) => new(new BlobServiceClient(connectionString, Options()));

    /// <summary>Creates the container if it does not exist.</summary>
    public async Task EnsureContainerAsync(string container, CancellationToken cancellationToken) =>
        await _service.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken);

    /// <summary>Creates an empty append blob unless one exists (If-None-Match: *). True when this call created it.</summary>
    public async Task<bool> CreateAppendBlobAsync(string container, string blob, CancellationToken cancellationToken)
    {
        try
        {
            await Append(container, blob).CreateAsync(
                new AppendBlobCreateOptions { Conditions = new AppendBlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>
    /// Appends one block only if the blob is still <paramref name="expectedLength"/> long and unchanged since
    /// <paramref name="etag"/>: the new ETag, or null when another writer got there first (412).
    /// </summary>
    // Source: "Append Block" (learn.microsoft.com/rest/api/storageservices/append-block): x-ms-blob-condition-appendpos
    // fails with 412 AppendPositionConditionNotMet; a block is at most 4 MiB and a blob holds at most 50,000 blocks.
    public async Task<ETag?> AppendIfUnchangedAsync(string container, string blob, byte[] block, long expectedLength, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new MemoryStream(block, writable: false);
            var response = await Append(container, blob).AppendBlockAsync(content,
                new AppendBlobAppendBlockOptions { Conditions = new AppendBlobRequestConditions { IfAppendPositionEqual = expectedLength, IfMatch = etag } },
                cancellationToken);
            return response.Value.ETag;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return null;
        }
    }

    /// <summary>Appends without conditions: for tests that forge a tampered journal, never for the journal itself.</summary>
    public async Task AppendAsync(string container, string blob, byte[] block, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(block, writable: false);
        await Append(container, blob).AppendBlockAsync(content, new AppendBlobAppendBlockOptions(), cancellationToken);
    }

    /// <summary>The blob's ETag (a HEAD request: nothing downloaded), or null when it does not exist.</summary>
    public async Task<ETag?> ETagOfAsync(string container, string blob, CancellationToken cancellationToken)
    {
        try
        {
            return (await Blob(container, blob).GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ETag;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The blob's bytes and ETag, or null when it does not exist.</summary>
    public async Task<(byte[] Content, ETag ETag)?> ReadAsync(string container, string blob, CancellationToken cancellationToken)
    {
        try
        {
            var result = (await Blob(container, blob).DownloadContentAsync(cancellationToken)).Value;
            return (result.Content.ToArray(), result.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Creates a block blob only if none exists (If-None-Match: *): the service decides atomically. True when this call created it.</summary>
    public async Task<bool> CreateIfNotExistsAsync(string container, string blob, byte[] content, CancellationToken cancellationToken)
    {
        try
        {
            await Blob(container, blob).UploadAsync(BinaryData.FromBytes(content),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes a block blob only if it is still at <paramref name="etag"/> (If-Match), or does not exist yet when
    /// <paramref name="etag"/> is null (If-None-Match: *): the new ETag, or null when someone else wrote first.
    /// </summary>
    public async Task<ETag?> ReplaceIfUnchangedAsync(string container, string blob, byte[] content, ETag? etag, CancellationToken cancellationToken)
    {
        try
        {
            var conditions = etag is { } current ? new BlobRequestConditions { IfMatch = current } : new BlobRequestConditions { IfNoneMatch = ETag.All };
            var response = await Blob(container, blob).UploadAsync(BinaryData.FromBytes(content), new BlobUploadOptions { Conditions = conditions }, cancellationToken);
            return response.Value.ETag;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string container, string blob, CancellationToken cancellationToken) =>
        await Blob(container, blob).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    /// <summary>The lease client of a blob (created empty on first use), for a lock that holds across app instances.</summary>
    public async Task<BlobLeaseClient> LeaseOfAsync(string container, string blob, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(container, cancellationToken);
        await CreateIfNotExistsAsync(container, blob, [], cancellationToken);
        return Blob(container, blob).GetBlobLeaseClient();
    }

    /// <summary>The blobs under a prefix with their content (small blobs only: the guard's untrusted users).</summary>
    public async Task<IReadOnlyList<(string Name, byte[] Content)>> ListAsync(string container, string prefix, CancellationToken cancellationToken)
    {
        var blobs = new List<(string, byte[])>();
        await foreach (var item in _service.GetBlobContainerClient(container).GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
        {
            if (await ReadAsync(container, item.Name, cancellationToken) is { } blob)
            {
                blobs.Add((item.Name, blob.Content));
            }
        }

        return blobs;
    }

    private BlobClient Blob(string container, string blob) => _service.GetBlobContainerClient(container).GetBlobClient(blob);

    private AppendBlobClient Append(string container, string blob) => _service.GetBlobContainerClient(container).GetAppendBlobClient(blob);

    // Request and response bodies (journal lines) are never logged by the SDK's diagnostics.
    private static BlobClientOptions Options()
    {
        var options = new BlobClientOptions();
        options.Diagnostics.IsLoggingContentEnabled = false;
        return options;
    }
}
