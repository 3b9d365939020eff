using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Exchange;

/// <summary>
/// A cmdlet the service refused or could not run. <see cref="ErrorCode"/> and <see cref="ErrorType"/> come from the
/// "ErrorCode|ExceptionType|Message" detail Exchange attaches (e.g. "Ex6F9304|Microsoft.Exchange.Management.Tasks.ManagementObjectNotFoundException|…";
/// source: GreyCorbel/ExoHelper Get-ExoException.ps1); <see cref="IsTransient"/> when retries ran out on throttling.
/// </summary>
public sealed class ExchangeCommandException(string cmdletName, int? httpStatus, string errorType, string errorCode, string message, bool isTransient, Exception? inner = null)
    : Exception($"{cmdletName} failed ({(httpStatus is { } s ? $"HTTP {s}, " : string.Empty)}{errorType}): {message}", inner)
{
    public string CmdletName { get; } = cmdletName;
    public int? HttpStatus { get; } = httpStatus;
    public string ErrorType { get; } = errorType;
    public string ErrorCode { get; } = errorCode;
    public string Detail { get; } = message;
    public bool IsTransient { get; } = isTransient;

    /// <summary>By the exception type (ManagementObjectNotFoundException, …NotFoundException), whatever the HTTP status.</summary>
    public bool IsNotFound => HttpStatus == 404 || ErrorType.EndsWith("NotFoundException", StringComparison.OrdinalIgnoreCase)
        || ErrorType.Contains("NotFound", StringComparison.OrdinalIgnoreCase);

    public ErrorInfo ToErrorInfo() => new(
        IsTransient ? (HttpStatus == 429 ? ErrorKind.Throttled : ErrorKind.Transient)
        : IsNotFound ? ErrorKind.NotFound
        : HttpStatus is 401 or 403 ? ErrorKind.Forbidden
        : HttpStatus is 400 ? ErrorKind.BadRequest
        : HttpStatus >= 500 ? ErrorKind.Transient
        : ErrorKind.Unexpected,
        $"exchange:{CmdletName}:{ShortType(ErrorType)}",
        Message,
        HttpStatus);

    private static string ShortType(string type) => type[(type.LastIndexOf('.') + 1)..];
}
