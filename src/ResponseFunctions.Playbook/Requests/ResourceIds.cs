using System.Text.RegularExpressions;

namespace ResponseFunctions.Playbook.Requests;

/// <summary>
/// Azure resource ids as targets: they become request paths, so only the exact ARM shape passes, in ASCII (no
/// look-alike letters, which .NET's case-insensitive matching would fold, e.g. the Kelvin sign to 'k'), with no
/// "." or ".." segment, no empty segment, and nothing after the end (a trailing newline fails, unlike with '$').
/// </summary>
public static partial class ResourceIds
{
    public static string? Normalize(string? value) =>
        value is not null && value.All(char.IsAscii) && Pattern().IsMatch(value)
        && !value.Split('/').Skip(1).Any(segment => segment is "" or "." or "..")
            ? value
            : null;

    [GeneratedRegex("^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[-A-Za-z0-9_.()]{1,90}/providers/[A-Za-z0-9.]+/[-A-Za-z0-9_./]{1,400}\\z")]
    private static partial Regex Pattern();
}
