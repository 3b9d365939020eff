using System.Net;
using Microsoft.Azure.Functions.Worker.Http;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Http;

/// <summary>
/// An RFC 9457 problem document. Extension members: <see cref="Errors"/> maps each offending field's JSON path to
/// its messages; <see cref="StatusUri"/> links the containment a conflict is about.
/// </summary>
internal sealed record ProblemDetails(
    string Type,
    string Title,
    int Status,
    string Detail,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    string? StatusUri = null);

/// <summary>The problem responses of the API, written as <c>application/problem+json</c>.</summary>
internal static class Problems
{
    public const string ContentType = "application/problem+json; charset=utf-8";

    // "about:blank": the status code says it all (RFC 9457 §4.2.1), so the title is the status phrase.
    private const string Type = "about:blank";

    public static Task<HttpResponseData> InvalidRequestAsync(HttpRequestData request, IEnumerable<RequestProblem> problems, CancellationToken cancellationToken)
    {
        var errors = problems
            .GroupBy(p => p.Field, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray(), StringComparer.Ordinal);
        return WriteAsync(
            request,
            new ProblemDetails(Type, "Bad Request", (int)HttpStatusCode.BadRequest,
                $"The request is invalid ({errors.Count} field(s), see errors); nothing was started or changed.", errors),
            cancellationToken);
    }

    public static Task<HttpResponseData> InvalidRequestAsync(HttpRequestData request, string field, string message, CancellationToken cancellationToken) =>
        InvalidRequestAsync(request, [new RequestProblem(field, message)], cancellationToken);

    public static Task<HttpResponseData> NotFoundAsync(HttpRequestData request, string detail, CancellationToken cancellationToken) =>
        WriteAsync(request, new ProblemDetails(Type, "Not Found", (int)HttpStatusCode.NotFound, detail), cancellationToken);

    public static Task<HttpResponseData> ForbiddenAsync(HttpRequestData request, string detail, CancellationToken cancellationToken) =>
        WriteAsync(request, new ProblemDetails(Type, "Forbidden", (int)HttpStatusCode.Forbidden, detail), cancellationToken);

    public static Task<HttpResponseData> ConflictAsync(HttpRequestData request, string detail, Uri? statusUri, CancellationToken cancellationToken) =>
        WriteAsync(request, new ProblemDetails(Type, "Conflict", (int)HttpStatusCode.Conflict, detail, StatusUri: statusUri?.ToString()), cancellationToken);

    public static Task<HttpResponseData> WriteAsync(HttpRequestData request, ProblemDetails problem, CancellationToken cancellationToken) =>
        HttpJson.WriteAsync(request, (HttpStatusCode)problem.Status, problem, ContentType, cancellationToken);
}
