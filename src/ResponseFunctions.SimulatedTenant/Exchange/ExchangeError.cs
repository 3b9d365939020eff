namespace ResponseFunctions.SimulatedTenant.Exchange;

/// <summary>
/// A cmdlet failure as the admin API reports it: HTTP status plus the "&lt;ErrorCode&gt;|&lt;ExceptionType&gt;|&lt;Message&gt;"
/// detail, e.g. "Ex6F9304|Microsoft.Exchange.Management.Tasks.ManagementObjectNotFoundException|…".
/// </summary>
/// <remarks>Source: GreyCorbel/ExoHelper Commands/Internal/Get-ExoException.ps1 and Helpers/ExoException.cs (the detail is
/// split on '|' into ExoErrorCode, ExoErrorType, Message); ../shared/reference/microsoft-apis.md §5 (corrected).</remarks>
internal sealed class ExchangeError(int status, string errorCode, string exceptionType, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string ErrorCode { get; } = errorCode;
    public string ExceptionType { get; } = exceptionType;

    public static ExchangeError NotFound(string what) =>
        new(404, "Ex6F9304", "Microsoft.Exchange.Management.Tasks.ManagementObjectNotFoundException",
            $"The operation couldn't be performed because object '{what}' couldn't be found on '{Server}'.");

    public static ExchangeError ParameterBinding(string cmdlet, string message) =>
        new(400, "Ex2B5E1C", "System.Management.Automation.ParameterBindingException", $"{cmdlet}: {message}");

    public static ExchangeError Invalid(string message) =>
        new(400, "ExB4F7A0", "Microsoft.Exchange.Management.Tasks.ValidationException", message);

    public static ExchangeError UnknownCmdlet(string cmdlet) =>
        new(400, "Ex9C0D11", "System.Management.Automation.CommandNotFoundException",
            $"The term '{cmdlet}' is not recognized as a name of a cmdlet (or it is not simulated).");

    private const string Server = "AM0PR01A001DC01.EURPRD01.PROD.OUTLOOK.COM";
}
