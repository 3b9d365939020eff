using Microsoft.Azure.Functions.Worker.Http;

namespace ResponseFunctions.Http;

/// <summary>Who is calling, as App Service Authentication (Easy Auth) reports it.</summary>
internal static class Principal
{
    /// <summary>
    /// Set by App Service Authentication for a signed-in caller; the platform removes any value a client sends
    /// when authentication is on. Without it, callers hold only a function key, which names nobody.
    /// </summary>
    public const string NameHeader = "X-MS-CLIENT-PRINCIPAL-NAME";

    public const string FunctionKeyCaller = "analyst (function key)";

    public static string? NameOf(HttpRequestData request) =>
        request.Headers.TryGetValues(NameHeader, out var values)
        && values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) is { } name
            ? name.Trim()
            : null;
}
