namespace ResponseFunctions.SimulatedTenant;

/// <summary>
/// Makes the in-process server behave like one across a network: TestServer reads the caller's request content
/// stream itself, so a client that retries (the Graph SDK on 429/503) would resend an empty body. Over a socket the
/// body is copied onto the wire; here the server gets a copy, and the caller's content stays intact.
/// </summary>
internal sealed class WireCopyHandler(HttpMessageHandler server) : DelegatingHandler(server)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not { } original)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var copy = new ByteArrayContent(await original.ReadAsByteArrayAsync(cancellationToken));
        foreach (var header in original.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        request.Content = copy;
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            request.Content = original;
        }
    }
}
