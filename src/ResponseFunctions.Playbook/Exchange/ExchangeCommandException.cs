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

    /// <summary>
    /// The object the cmdlet names does not exist: by the exception type (ManagementObjectNotFoundException,
    /// …NotFoundException), whatever the HTTP status; never a cmdlet the service does not offer (<see cref="IsCommandNotFound"/>).
    /// </summary>
    public bool IsNotFound => !IsCommandNotFound && (HttpStatus == 404 || ErrorType.EndsWith("NotFoundException", StringComparison.OrdinalIgnoreCase)
        || ErrorType.Contains("NotFound", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The cmdlet itself is not available to this caller (PowerShell's CommandNotFoundException, "The term '…' is not
    /// recognized"): Exchange RBAC offers only the cmdlets the caller's roles grant ("Find the permissions required to run
    /// any Exchange cmdlet", learn.microsoft.com/powershell/exchange/find-exchange-cmdlet-permissions; every cmdlet
    /// reference: "You need to be assigned permissions before you can run this cmdlet"), and a licence-bound cmdlet is
    /// absent without the licence. A missing permission, not a missing object: read as NotFound, the change runner
    /// would journal it "already done".
    /// </summary>
    public bool IsCommandNotFound => ErrorType.EndsWith("CommandNotFoundException", StringComparison.OrdinalIgnoreCase);

    public ErrorInfo ToErrorInfo() => new(
        IsTransient ? (HttpStatus == 429 ? ErrorKind.Throttled : ErrorKind.Transient)
        : IsCommandNotFound ? ErrorKind.Forbidden
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
