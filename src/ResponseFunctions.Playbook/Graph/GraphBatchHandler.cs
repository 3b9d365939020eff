using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ResponseFunctions.Playbook.Graph;

/// <summary>
/// Sends Graph requests made at the same moment (a wave's steps planned or applied side by side) together, as one JSON
/// batch (POST /$batch, at most 20 requests: Graph docs, "Combine multiple HTTP requests using JSON batching"): one
/// round trip instead of up to twenty. Each caller still gets its own response (its own status, headers such as
/// Retry-After, and body), so the limiter, the read cache and the SDK above see every request as its own; Graph
/// throttles each request of a batch on its own too. Requests issued concurrently have no order between them, so
/// none is needed inside a batch (no dependsOn). A request alone in its moment, or one that is not JSON, goes as it is;
/// a batch the service refuses as a whole is sent again request by request.
/// </summary>
/// <param name="window">How long the first request of a batch waits for others.</param>
/// <param name="size">Requests that send a batch at once, without waiting out the window (at most <see cref="MaxRequests"/>).</param>
public sealed class GraphBatchHandler(TimeSpan window, int size = GraphBatchHandler.MaxRequests) : DelegatingHandler
{
    public const int MaxRequests = 20;

    private readonly int _size = Math.Clamp(size, 1, MaxRequests);

    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Host", "Accept-Encoding", "Connection", "Transfer-Encoding", "Content-Length", "Content-Encoding", "Expect",
    };

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Pending> _open = new(StringComparer.Ordinal);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var root = RootOf(request.RequestUri);
        if (root is null || request.RequestUri!.AbsolutePath.EndsWith("/$batch", StringComparison.OrdinalIgnoreCase))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        JsonNode? body = null;
        if (request.Content is { } content)
        {
            await content.LoadIntoBufferAsync(cancellationToken);
            if (content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.OrdinalIgnoreCase) != true || (body = await JsonBodyAsync(content, cancellationToken)) is null)
            {
                return await base.SendAsync(request, cancellationToken);
            }
        }

        var item = new Item(request, body);
        var key = $"{root}|{request.Headers.Authorization}";
        Pending? full = null;
        lock (_gate)
        {
            if (!_open.TryGetValue(key, out var pending))
            {
                _open[key] = pending = new Pending(root);
                _ = FlushLaterAsync(key, pending);
            }

            pending.Items.Add(item);
            if (pending.Items.Count == _size)
            {
                _open.Remove(key);
                full = pending;
            }
        }

        if (full is not null)
        {
            _ = FlushAsync(full);
        }

        return await item.Response.Task.WaitAsync(cancellationToken);
    }

    private async Task FlushLaterAsync(string key, Pending pending)
    {
        await Task.Delay(window);
        lock (_gate)
        {
            if (!_open.TryGetValue(key, out var open) || !ReferenceEquals(open, pending))
            {
                return;
            }

            _open.Remove(key);
        }

        await FlushAsync(pending);
    }

    private async Task FlushAsync(Pending pending)
    {
        var items = pending.Items;
        try
        {
            if (items.Count == 1)
            {
                items[0].Response.TrySetResult(await base.SendAsync(items[0].Request, CancellationToken.None));
                return;
            }

            using var batch = new HttpRequestMessage(HttpMethod.Post, pending.Root + "/$batch") { Content = new StringContent(Payload(items), Encoding.UTF8, "application/json") };
            batch.Headers.Authorization = items[0].Request.Headers.Authorization;
            using var answer = await base.SendAsync(batch, CancellationToken.None);
            var responses = answer.IsSuccessStatusCode ? JsonNode.Parse(await answer.Content.ReadAsStringAsync())?["responses"] as JsonArray : null;
            for (var i = 0; i < items.Count; i++)
            {
                var response = responses?.FirstOrDefault(r => r?["id"]?.GetValue<string>() == (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                items[i].Response.TrySetResult(response is null
                    ? await base.SendAsync(items[i].Request, CancellationToken.None)
                    : ToResponse(items[i].Request, response));
            }
        }
        catch (Exception ex)
        {
            foreach (var item in items)
            {
                item.Response.TrySetException(ex);
            }
        }
    }

    private static string Payload(List<Item> items)
    {
        var requests = new JsonArray();
        for (var i = 0; i < items.Count; i++)
        {
            var request = items[i].Request;
            var headers = new JsonObject();
            foreach (var (name, values) in request.Headers.Where(h => !NotForwarded.Contains(h.Key)))
            {
                headers[name] = string.Join(", ", values);
            }

            var entry = new JsonObject
            {
                ["id"] = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["method"] = request.Method.Method,
                ["url"] = RelativeUrl(request.RequestUri!),
            };
            if (items[i].Body is { } body)
            {
                headers["Content-Type"] = "application/json";
                entry["body"] = body;
            }

            entry["headers"] = headers;
            requests.Add(entry);
        }

        return new JsonObject { ["requests"] = requests }.ToJsonString();
    }

    private static HttpResponseMessage ToResponse(HttpRequestMessage request, JsonNode item)
    {
        var response = new HttpResponseMessage((HttpStatusCode)item["status"]!.GetValue<int>()) { RequestMessage = request };
        var contentType = "application/json";
        foreach (var (name, value) in item["headers"] as JsonObject ?? [])
        {
            if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value?.ToString() ?? contentType;
            }
            else if (!NotForwarded.Contains(name))
            {
                response.Headers.TryAddWithoutValidation(name, value?.ToString());
            }
        }

        if (item["body"] is { } body)
        {
            response.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        else
        {
            response.Content = new ByteArrayContent([]);
        }

        return response;
    }

    /// <summary>The request's URL after the version segment (what a batch names), e.g. "/users/{id}?$select=id".</summary>
    private static string RelativeUrl(Uri uri)
    {
        var path = uri.AbsolutePath;
        var at = path.IndexOf("/v1.0/", StringComparison.OrdinalIgnoreCase);
        return path[(at + "/v1.0".Length)..] + uri.Query;
    }

    /// <summary>The Graph root (up to and including the version segment) a request goes to, or null for anything else.</summary>
    private static string? RootOf(Uri? uri)
    {
        var at = uri?.AbsolutePath.IndexOf("/v1.0/", StringComparison.OrdinalIgnoreCase) ?? -1;
        return at < 0 ? null : uri!.GetLeftPart(UriPartial.Authority) + uri.AbsolutePath[..(at + "/v1.0".Length)];
    }

    private static async Task<JsonNode?> JsonBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var bytes = await content.ReadAsByteArrayAsync(cancellationToken);
        if (content.Headers.ContentEncoding.Contains("gzip", StringComparer.OrdinalIgnoreCase))
        {
            await using var unzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            await unzip.CopyToAsync(plain, cancellationToken);
            bytes = plain.ToArray();
        }

        try
        {
            return bytes.Length == 0 ? null : JsonNode.Parse(bytes);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private sealed record Item(HttpRequestMessage Request, JsonNode? Body)
    {
        public TaskCompletionSource<HttpResponseMessage> Response { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record Pending(string Root)
    {
        public List<Item> Items { get; } = [];
    }
}
