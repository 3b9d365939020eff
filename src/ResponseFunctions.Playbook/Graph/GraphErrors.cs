using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Graph;

/// <summary>Turns Graph's errors into <see cref="ErrorInfo"/> and says which ones a later retry can cure.</summary>
public static class GraphErrors
{
    public static ErrorInfo ToErrorInfo(ODataError error)
    {
        var status = error.ResponseStatusCode;
        var kind = status switch
        {
            401 or 403 => ErrorKind.Forbidden,
            404 => ErrorKind.NotFound,
            400 or 409 or 412 => ErrorKind.BadRequest,
            429 => ErrorKind.Throttled,
            >= 500 => ErrorKind.Transient,
            _ => ErrorKind.Unexpected,
        };
        return new ErrorInfo(kind, error.Error?.Code ?? "unknown", error.Error?.Message ?? error.Message, status);
    }

    /// <summary>Throttling and server errors that outlived the SDK's own retries: the host may retry the whole step later.</summary>
    public static bool IsTransient(ODataError error) => error.ResponseStatusCode is 429 or >= 500;

    public static bool IsNotFound(ODataError error) => error.ResponseStatusCode == 404;
}
