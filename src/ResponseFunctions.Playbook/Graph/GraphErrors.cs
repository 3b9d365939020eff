using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Graph;

/// <summary>Turns Graph's errors into <see cref="ErrorInfo"/> and says which ones a later retry can cure.</summary>
public static class GraphErrors
{
    public static ErrorInfo ToErrorInfo(ODataError error) =>
        new(KindOf(error.ResponseStatusCode), error.Error?.Code ?? "unknown", error.Error?.Message ?? error.Message, error.ResponseStatusCode);

    /// <summary>
    /// Any failure of a Graph call as an <see cref="ErrorInfo"/>, or null if it is not one. When the SDK's retry handler
    /// gives up on throttling it throws an <see cref="AggregateException"/> of <see cref="ApiException"/>s, not an ODataError.
    /// </summary>
    public static ErrorInfo? Classify(Exception exception) => exception switch
    {
        ODataError error => ToErrorInfo(error),
        Exchange.ExchangeCommandException exchange => exchange.ToErrorInfo(),
        Azure.RequestFailedException azure => new ErrorInfo(KindOf(azure.Status), azure.ErrorCode ?? $"http-{azure.Status}", azure.Message, azure.Status),
        ApiException api => new ErrorInfo(KindOf(api.ResponseStatusCode), $"http-{api.ResponseStatusCode}", api.Message, api.ResponseStatusCode),
        AggregateException { InnerExceptions.Count: > 0 } aggregate => Classify(aggregate.InnerExceptions[^1]),
        _ => null,
    };

    /// <summary>Throttling and server errors that outlived the SDK's own retries: the host may retry the whole step later.</summary>
    public static bool IsTransient(ODataError error) => error.ResponseStatusCode is 429 or >= 500;

    public static bool IsTransient(ErrorInfo error) => error.Kind is ErrorKind.Throttled or ErrorKind.Transient;

    public static bool IsNotFound(ODataError error) => error.ResponseStatusCode == 404;

    private static ErrorKind KindOf(int status) => status switch
    {
        401 or 403 => ErrorKind.Forbidden,
        404 => ErrorKind.NotFound,
        400 or 409 or 412 => ErrorKind.BadRequest,
        429 => ErrorKind.Throttled,
        >= 500 => ErrorKind.Transient,
        _ => ErrorKind.Unexpected,
    };
}
