using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using ResponseFunctions.Playbook.Intake.IdentityProtection;

namespace ResponseFunctions.Intake;

/// <summary>
/// The Identity Protection watermark in a blob (<c>{container}/{name}.watermark.json</c>), through the Blob REST API
/// with the app's managed identity (Storage Blob Data Contributor on the container). Writes are conditional on the
/// ETag read, so two overlapping polls cannot move the watermark backwards: the loser fails and the next poll resumes
/// from what the winner stored. (Azure.Core only: the Azure.Storage.Blobs package does not restore offline here.)
/// </summary>
internal sealed class BlobWatermarkStore : IWatermarkStore
{
    private const string StorageScope = "https://storage.azure.com/.default";
    private const string ApiVersion = "2023-11-03";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpPipeline _pipeline;
    private readonly Uri _container;
    private readonly ConcurrentDictionary<string, string?> _etags = new(StringComparer.Ordinal);

    /// <param name="container">e.g. https://account.blob.core.windows.net/intake</param>
    /// <param name="transport">The HTTP transport; null for the platform's default.</param>
    public BlobWatermarkStore(Uri container, TokenCredential credential, HttpMessageHandler? transport = null)
    {
        _container = new Uri(container.ToString().TrimEnd('/') + "/");
        var options = new StoreOptions();
        if (transport is not null)
        {
            options.Transport = new HttpClientTransport(transport);
        }

        _pipeline = HttpPipelineBuilder.Build(options, new BearerTokenAuthenticationPolicy(credential, StorageScope));
    }

    public async Task<Watermark?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        using var request = Request(RequestMethod.Get, BlobUri(name));
        using var response = await _pipeline.SendRequestAsync(request, cancellationToken);
        if (response.Status == 404)
        {
            _etags[name] = null;
            return null;
        }

        EnsureSuccess(response);
        _etags[name] = response.Headers.ETag?.ToString();
        return JsonSerializer.Deserialize<Watermark>(response.Content.ToMemory().Span, Json);
    }

    public async Task WriteAsync(string name, Watermark watermark, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = Request(RequestMethod.Put, BlobUri(name));
            request.Headers.Add("x-ms-blob-type", "BlockBlob");
            request.Headers.Add("Content-Type", "application/json");
            if (_etags.TryGetValue(name, out var etag))
            {
                request.Headers.Add(etag is null ? "If-None-Match" : "If-Match", etag ?? "*");
            }

            request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(watermark, Json));
            using var response = await _pipeline.SendRequestAsync(request, cancellationToken);
            if (response.Status == 404 && attempt == 0)
            {
                await CreateContainerAsync(cancellationToken);
                continue;
            }

            EnsureSuccess(response);
            _etags[name] = response.Headers.ETag?.ToString();
            return;
        }
    }

    private async Task CreateContainerAsync(CancellationToken cancellationToken)
    {
        using var request = Request(RequestMethod.Put, new Uri(_container.ToString().TrimEnd('/') + "?restype=container"));
        using var response = await _pipeline.SendRequestAsync(request, cancellationToken);
        if (response.Status != 409)
        {
            EnsureSuccess(response);
        }
    }

    private Request Request(RequestMethod method, Uri uri)
    {
        var request = _pipeline.CreateRequest();
        request.Method = method;
        request.Uri.Reset(uri);
        request.Headers.Add("x-ms-version", ApiVersion);
        return request;
    }

    private Uri BlobUri(string name) => new(_container, $"{Uri.EscapeDataString(name)}.watermark.json");

    private static void EnsureSuccess(Response response)
    {
        if (response.IsError)
        {
            throw new RequestFailedException(response);
        }
    }

    private sealed class StoreOptions : ClientOptions
    {
        public StoreOptions() => Diagnostics.IsLoggingContentEnabled = false;
    }
}
