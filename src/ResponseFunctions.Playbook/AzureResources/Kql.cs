using System.Globalization;
using System.Text;

namespace ResponseFunctions.Playbook.AzureResources;

/// <summary>
/// Values from an incident enter a KQL query only through these literals, never by concatenation: a resource id that
/// carries a quote, a pipe or a line break stays one string value.
/// </summary>
/// <remarks>Source: learn.microsoft.com/kusto/query/scalar-data-types/string ("String literals": double-quoted, backslash escapes \" \\ \n \r \t).</remarks>
public static class Kql
{
    /// <summary>A double-quoted KQL string literal holding exactly <paramref name="value"/>.</summary>
    public static string String(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var literal = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => literal.Append("\\\""),
                '\\' => literal.Append("\\\\"),
                '\n' => literal.Append("\\n"),
                '\r' => literal.Append("\\r"),
                '\t' => literal.Append("\\t"),
                _ when char.IsControl(c) => throw new ArgumentException("A KQL value may not carry control characters.", nameof(value)),
                _ => literal.Append(c),
            };
        }

        return literal.Append('"').ToString();
    }

    /// <summary>A KQL datetime literal in UTC, to the tick.</summary>
    public static string DateTime(DateTimeOffset value) =>
        $"datetime({value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture)})";
}
