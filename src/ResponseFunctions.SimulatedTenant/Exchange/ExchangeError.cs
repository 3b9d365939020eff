namespace ResponseFunctions.SimulatedTenant.Exchange;

/// <summary>
/// A cmdlet failure as the admin API reports it: HTTP status plus the "&lt;ExceptionType&gt;|&lt;Category&gt;|&lt;Message&gt;"
/// detail that clients split (GreyCorbel/ExoHelper Get-ExoException.ps1).
/// </summary>
internal sealed class ExchangeError(int status, string exceptionType, string category, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string ExceptionType { get; } = exceptionType;
    public string Category { get; } = category;

    public static ExchangeError NotFound(string what) =>
        new(404, "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException", "NotSpecified",
            $"The operation couldn't be performed because object '{what}' couldn't be found.");

    public static ExchangeError ParameterBinding(string cmdlet, string message) =>
        new(400, "System.Management.Automation.ParameterBindingException", "InvalidArgument", $"{cmdlet}: {message}");

    public static ExchangeError Invalid(string message) =>
        new(400, "Microsoft.Exchange.Management.Tasks.ValidationException", "InvalidData", message);

    public static ExchangeError UnknownCmdlet(string cmdlet) =>
        new(400, "System.Management.Automation.CommandNotFoundException", "ObjectNotFound",
            $"The term '{cmdlet}' is not recognized as a name of a cmdlet (or it is not simulated).");
}
