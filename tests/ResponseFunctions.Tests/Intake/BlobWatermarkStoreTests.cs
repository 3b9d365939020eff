using System.Net;
using Azure.Core;
using ResponseFunctions.Intake;
using ResponseFunctions.Playbook.Intake.IdentityProtection;

namespace ResponseFunctions.Tests.Intake;

/// <summary>The blob watermark over HTTP against a minimal Blob service (conditional PUT by ETag, containers created on demand).</summary>
public sealed class BlobWatermarkStoreTests
{
    private static readonly Uri Container = new("https://rfstore.blob.core.windows.net/intake");
    private static readonly Watermark First = new(new DateTimeOffset(2026, 11, 20, 3, 20, 0, TimeSpan.Zero), ["d1"]);

    [Fact]
    public async Task WriteThenRead_NewStore_CreatesTheContainerAndSurvivesARestart()
    {
        var blobs = new FakeBlobService();
        var store = new BlobWatermarkStore(Container, new FixedCredential(), blobs);

        Assert.Null(await store.ReadAsync("w", CancellationToken.None));
        await store.WriteAsync("w", First, CancellationToken.None);
        var restarted = await new BlobWatermarkStore(Container, new FixedCredential(), blobs).ReadAsync("w", CancellationToken.None);

        Assert.Equal(First.At, restarted?.At);
        Assert.Equal(["d1"], restarted?.IdsAtWatermark);
        Assert.True(blobs.ContainerCreated);
        Assert.All(blobs.Requests, r => Assert.Equal("Bearer storage-token", r.Authorization));
    }

    [Fact]
    public async Task Write_AnotherPollWroteMeanwhile_FailsInsteadOfOverwriting()
    {
        var blobs = new FakeBlobService();
        var slow = new BlobWatermarkStore(Container, new FixedCredential(), blobs);
        var fast = new BlobWatermarkStore(Container, new FixedCredential(), blobs);
        await slow.ReadAsync("w", CancellationToken.None);
        await fast.ReadAsync("w", CancellationToken.None);
        await fast.WriteAsync("w", First, CancellationToken.None);

        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => slow.WriteAsync("w", First with { At = First.At.AddHours(-1) }, CancellationToken.None));

        Assert.Equal(First.At, (await new BlobWatermarkStore(Container, new FixedCredential(), blobs).ReadAsync("w", CancellationToken.None))?.At);
    }

    private sealed class FixedCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(requestContext.Scopes.Single() == "https://storage.azure.com/.default" ? "storage-token" : "wrong-audience", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    /// <summary>Blob REST as far as the store uses it: GET blob, PUT BlockBlob with If-Match / If-None-Match, PUT container.</summary>
    private sealed class FakeBlobService : HttpMessageHandler
    {
        private readonly Dictionary<string, (byte[] Body, string ETag)> _blobs = [];

        public bool ContainerCreated { get; private set; }

        public List<(string Method, string? Authorization)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request.Method.Method, request.Headers.Authorization?.ToString()));
            var path = request.RequestUri!.AbsolutePath;
            if (request.RequestUri.Query.Contains("restype=container", StringComparison.Ordinal))
            {
                ContainerCreated = true;
                return new HttpResponseMessage(HttpStatusCode.Created);
            }

            if (request.Method == HttpMethod.Get)
            {
                return _blobs.TryGetValue(path, out var blob)
                    ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(blob.Body), Headers = { ETag = new(blob.ETag) } }
                    : new HttpResponseMessage(HttpStatusCode.NotFound);
            }

            if (!ContainerCreated)
            {
                return new HttpResponseMessage(HttpStatusCode.NotFound);
            }

            var exists = _blobs.TryGetValue(path, out var current);
            var ifMatch = request.Headers.IfMatch.FirstOrDefault()?.Tag;
            var ifNoneMatch = request.Headers.IfNoneMatch.Any();
            if ((ifNoneMatch && exists) || (ifMatch is not null && (!exists || ifMatch != current.ETag)))
            {
                return new HttpResponseMessage(HttpStatusCode.PreconditionFailed);
            }

            var etag = $"\"{Guid.NewGuid():N}\"";
            _blobs[path] = (await request.Content!.ReadAsByteArrayAsync(cancellationToken), etag);
            return new HttpResponseMessage(HttpStatusCode.Created) { Headers = { ETag = new(etag) } };
        }
    }
}
