using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Azure.Functions.Worker.Http;

namespace ResponseFunctions.Http;

/// <summary>
/// Reading and writing HTTP bodies with System.Text.Json, on the abstract members of the Functions HTTP model only
/// (Body, Headers, StatusCode, CreateResponse), so the same code runs under test doubles.
/// </summary>
internal static class HttpJson
{
    /// <summary>Web defaults (camelCase, case-insensitive), enums as camelCase strings.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>
    /// How request bodies are parsed: a property given twice is an error, never "the last one wins" (a body with
    /// "mode":"plan" then "mode":"contain" must not run a containment its reviewer read as a plan).
    /// </summary>
    public static JsonDocumentOptions StrictDocument { get; } = new() { AllowDuplicateProperties = false, MaxDepth = 32 };

    /// <summary>Request bodies larger than this are refused unread: intake bodies are a few kilobytes.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public static async Task<string?> ReadBodyAsync(HttpRequestData request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static Task<HttpResponseData> WriteAsync<T>(HttpRequestData request, HttpStatusCode status, T body, CancellationToken cancellationToken) =>
        WriteAsync(request, status, body, "application/json; charset=utf-8", cancellationToken);

    public static async Task<HttpResponseData> WriteAsync<T>(
        HttpRequestData request, HttpStatusCode status, T body, string contentType, CancellationToken cancellationToken)
    {
        var response = request.CreateResponse();
        response.StatusCode = status;
        response.Headers.TryAddWithoutValidation("Content-Type", contentType);
        response.Headers.TryAddWithoutValidation("Cache-Control", "no-store");
        await JsonSerializer.SerializeAsync(response.Body, body, Options, cancellationToken);
        return response;
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
