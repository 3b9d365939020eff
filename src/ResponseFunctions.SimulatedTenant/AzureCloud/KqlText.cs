using System.Text;

namespace ResponseFunctions.SimulatedTenant.AzureCloud;

/// <summary>
/// Splits a KQL query into code and string literals, as Kusto's parser does: "…" with backslash escapes, '…' likewise,
/// and @"…" verbatim. The code comes back with each literal replaced by @0, @1… so a shape can be matched without
/// a value ever being read as code.
/// </summary>
/// <remarks>Source: learn.microsoft.com/kusto/query/scalar-data-types/string (string literals and escaping).</remarks>
internal static class KqlText
{
    public static (string Code, IReadOnlyList<string> Literals)? Split(string query)
    {
        var code = new StringBuilder();
        var literals = new List<string>();
        for (var i = 0; i < query.Length; i++)
        {
            var c = query[i];
            var verbatim = c == '@' && i + 1 < query.Length && query[i + 1] is '"' or '\'';
            if (c is not ('"' or '\'') && !verbatim)
            {
                code.Append(c);
                continue;
            }

            if (verbatim)
            {
                i++;
            }

            var quote = query[i];
            var value = new StringBuilder();
            var closed = false;
            for (i++; i < query.Length; i++)
            {
                if (query[i] == quote)
                {
                    closed = true;
                    break;
                }

                if (query[i] == '\\' && !verbatim)
                {
                    if (++i >= query.Length)
                    {
                        return null;
                    }

                    value.Append(query[i] switch { 'n' => '\n', 'r' => '\r', 't' => '\t', var other => other });
                    continue;
                }

                value.Append(query[i]);
            }

            if (!closed)
            {
                return null;
            }

            code.Append('@').Append(literals.Count);
            literals.Add(value.ToString());
        }

        return (code.ToString(), literals);
    }
}
