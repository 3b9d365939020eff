using System.Globalization;
using System.Net;

namespace ResponseFunctions.Playbook.Journal.Blob;

/// <summary>
/// The few Blob service REST operations the journal and the approval-link ledger need: containers, append blobs
/// with conditional appends, and create-only block blobs. Written over HttpClient because the offline package
/// snapshot cannot restore Azure.Storage.Blobs (its Azure.Storage.Common and System.IO.Hashing are missing); the
/// REST contract is the one documented for x-ms-version 2021-12-02.
/// </summary>
public sealed class BlobStore(HttpClient http, BlobAccount account)
{
    public const string ApiVersion = "2021-12-02";

    public BlobAccount Account { get; } = account;

    /// <summary>Creates the container if it does not exist.</summary>
    public async Task EnsureContainerAsync(string container, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Put, $"{container}?restype=container", null, null, cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
        {
            throw await FailureAsync(response, "create container", cancellationToken);
        }
    }

    /// <summary>Creates an empty append blob unless one exists (If-None-Match: *). True when this call created it.</summary>
    public async Task<bool> CreateAppendBlobAsync(string container, string blob, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Put, Path(container, blob), null,
            h => { h.TryAddWithoutValidation("x-ms-blob-type", "AppendBlob"); h.TryAddWithoutValidation("If-None-Match", "*"); }, cancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.Created => true,
            HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed => false,
            _ => throw await FailureAsync(response, "create append blob", cancellationToken),
        };
    }

    /// <summary>
    /// Appends a block only if the blob is still <paramref name="expectedLength"/> long and unchanged since
    /// <paramref name="etag"/>; the new ETag, or null when another writer got there first (412).
    /// </summary>
    public async Task<string?> AppendIfUnchangedAsync(string container, string blob, byte[] block, long expectedLength, string etag, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Put, Path(container, blob) + "?comp=appendblock", block,
            h =>
            {
                h.TryAddWithoutValidation("x-ms-blob-condition-appendpos", expectedLength.ToString(CultureInfo.InvariantCulture));
                h.TryAddWithoutValidation("If-Match", etag);
            },
            cancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.Created => ETagOf(response),
            HttpStatusCode.PreconditionFailed => null,
            _ => throw await FailureAsync(response, "append block", cancellationToken),
        };
    }

    /// <summary>Appends without conditions: for tests that forge a tampered journal, never for the journal itself.</summary>
    public async Task AppendAsync(string container, string blob, byte[] block, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Put, Path(container, blob) + "?comp=appendblock", block, null, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw await FailureAsync(response, "append block", cancellationToken);
        }
    }

    /// <summary>The blob's bytes and ETag, or null when it does not exist.</summary>
    public async Task<(byte[] Content, string ETag)?> ReadAsync(string container, string blob, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, Path(container, blob), null, null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw await FailureAsync(response, "read blob", cancellationToken);
        }

        return (await response.Content.ReadAsByteArrayAsync(cancellationToken), ETagOf(response));
    }

    /// <summary>Creates a block blob only if none exists (If-None-Match: *): the service decides atomically. True when this call created it.</summary>
    public async Task<bool> CreateIfNotExistsAsync(string container, string blob, byte[] content, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Put, Path(container, blob), content,
            h => { h.TryAddWithoutValidation("x-ms-blob-type", "BlockBlob"); h.TryAddWithoutValidation("If-None-Match", "*"); }, cancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.Created => true,
            HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed => false,
            _ => throw await FailureAsync(response, "create blob", cancellationToken),
        };
    }

    public async Task DeleteAsync(string container, string blob, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, Path(container, blob), null, null, cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.Accepted or HttpStatusCode.NotFound))
        {
            throw await FailureAsync(response, "delete blob", cancellationToken);
        }
    }

    private static string Path(string container, string blob) => $"{container}/{Uri.EscapeDataString(blob)}";

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string relative, byte[]? body, Action<System.Net.Http.Headers.HttpRequestHeaders>? headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(Account.ServiceUri, relative));
        request.Headers.TryAddWithoutValidation("x-ms-date", DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("x-ms-version", ApiVersion);
        headers?.Invoke(request.Headers);
        if (body is not null || method == HttpMethod.Put)
        {
            request.Content = new ByteArrayContent(body ?? []);
        }

        await Account.AuthorizeAsync(request, cancellationToken);
        return await http.SendAsync(request, cancellationToken);
    }

    private static string ETagOf(HttpResponseMessage response) =>
        response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("The blob service returned no ETag.");

    private static async Task<Exception> FailureAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        // The error code (x-ms-error-code) is enough to act on; the body can be long XML.
        var code = response.Headers.TryGetValues("x-ms-error-code", out var codes) ? codes.FirstOrDefault() : null;
        _ = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new IOException($"Blob storage: {operation} failed with HTTP {(int)response.StatusCode} {code}.");
    }
}
