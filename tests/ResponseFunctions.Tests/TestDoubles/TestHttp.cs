using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Moq;

namespace ResponseFunctions.Tests.TestDoubles;

/// <summary>An HTTP request as the worker hands it to a function: a body, headers and a URL.</summary>
internal sealed class TestHttpRequest : HttpRequestData
{
    private readonly MemoryStream _body;

    public TestHttpRequest(string method, string url, string? body = null, IDictionary<string, string>? headers = null)
        : base(TestFunctionContext.Create())
    {
        Method = method;
        Url = new Uri(url);
        _body = new MemoryStream(Encoding.UTF8.GetBytes(body ?? string.Empty));
        Headers = new HttpHeadersCollection();
        foreach (var header in headers ?? new Dictionary<string, string>())
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    public override Stream Body => _body;

    public override HttpHeadersCollection Headers { get; }

    public override IReadOnlyCollection<IHttpCookie> Cookies { get; } = [];

    public override Uri Url { get; }

    public override IEnumerable<ClaimsIdentity> Identities { get; } = [];

    public override string Method { get; }

    public override HttpResponseData CreateResponse() => new TestHttpResponse(FunctionContext);

    public static TestHttpRequest Post(string url, string body, string? principal = null) =>
        new("POST", url, body, principal is null ? null : new Dictionary<string, string> { ["X-MS-CLIENT-PRINCIPAL-NAME"] = principal });

    public static TestHttpRequest Get(string url) => new("GET", url);
}

/// <summary>The response a function returns, with its body kept for assertions.</summary>
internal sealed class TestHttpResponse(FunctionContext context) : HttpResponseData(context)
{
    public override HttpStatusCode StatusCode { get; set; } = HttpStatusCode.OK;

    public override HttpHeadersCollection Headers { get; set; } = new();

    public override Stream Body { get; set; } = new MemoryStream();

    public override HttpCookies Cookies { get; } = Mock.Of<HttpCookies>();
}

internal static class TestFunctionContext
{
    public static FunctionContext Create() => new Mock<FunctionContext>().Object;
}

internal static class HttpResponseAssertions
{
    public static JsonElement Json(this HttpResponseData response)
    {
        response.Body.Position = 0;
        using var document = JsonDocument.Parse(response.Body);
        return document.RootElement.Clone();
    }

    public static string? Header(this HttpResponseData response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
