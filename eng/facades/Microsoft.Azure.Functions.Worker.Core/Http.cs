using System.Collections.Specialized;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using ResponseFunctions.Facades;

namespace Microsoft.Azure.Functions.Worker.Http;

public abstract class HttpRequestData
{
    public HttpRequestData(FunctionContext functionContext)
    {
        this.FunctionContext = functionContext;
    }

    public abstract Stream Body { get; }

    public abstract HttpHeadersCollection Headers { get; }

    public abstract IReadOnlyCollection<IHttpCookie> Cookies { get; }

    public abstract Uri Url { get; }

    public abstract IEnumerable<ClaimsIdentity> Identities { get; }

    public abstract string Method { get; }

    public FunctionContext FunctionContext { get; }

    public virtual NameValueCollection Query => throw Facade.NotSupported();

    public abstract HttpResponseData CreateResponse();
}

public abstract class HttpResponseData
{
    public HttpResponseData(FunctionContext functionContext)
    {
        this.FunctionContext = functionContext;
    }

    public abstract HttpStatusCode StatusCode { get; set; }

    public abstract HttpHeadersCollection Headers { get; set; }

    public abstract Stream Body { get; set; }

    public abstract HttpCookies Cookies { get; }

    public FunctionContext FunctionContext { get; }

    public static HttpResponseData CreateResponse(HttpRequestData request) => throw Facade.NotSupported();
}

// A header collection (System.Net.Http.Headers.HttpHeaders underneath), as in the real package.
public class HttpHeadersCollection : HttpHeaders
{
    public HttpHeadersCollection()
    {
    }

    public HttpHeadersCollection(IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers)
    {
        foreach (var header in headers)
        {
            this.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    public HttpHeadersCollection(IEnumerable<KeyValuePair<string, string>> headers)
    {
        foreach (var header in headers)
        {
            this.TryAddWithoutValidation(header.Key, header.Value);
        }
    }
}

public abstract class HttpCookies
{
    public abstract void Append(string name, string value);

    public abstract void Append(IHttpCookie cookie);

    public abstract IHttpCookie CreateNew();
}

public interface IHttpCookie
{
    string? Domain { get; }

    DateTimeOffset? Expires { get; }

    bool? HttpOnly { get; }

    double? MaxAge { get; }

    string Name { get; }

    string? Path { get; }

    SameSite SameSite { get; }

    bool? Secure { get; }

    string Value { get; }
}

public enum SameSite
{
    None = 0,
    Lax = 1,
    Strict = 2,
    ExplicitNone = 3,
}
