using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Exchange;

/// <summary>
/// A cmdlet the service refused or could not run. <see cref="ErrorType"/> and <see cref="Category"/> come from the
/// "Type|Category|Message" detail Exchange attaches; <see cref="IsTransient"/> when retries ran out on throttling.
/// </summary>
public sealed class ExchangeCommandException(string cmdletName, int? httpStatus, string errorType, string category, string message, bool isTransient, Exception? inner = null)
    : Exception($"{cmdletName} failed ({(httpStatus is { } s ? $"HTTP {s}, " : string.Empty)}{errorType}): {message}", inner)
{
    public string CmdletName { get; } = cmdletName;
    public int? HttpStatus { get; } = httpStatus;
    public string ErrorType { get; } = errorType;
    public string Category { get; } = category;
    public string Detail { get; } = message;
    public bool IsTransient { get; } = isTransient;

    public bool IsNotFound => HttpStatus == 404 || ErrorType.Contains("NotFound", StringComparison.OrdinalIgnoreCase);

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
