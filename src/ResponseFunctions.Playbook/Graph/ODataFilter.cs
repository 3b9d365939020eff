namespace ResponseFunctions.Playbook.Graph;

/// <summary>Builds OData filter clauses from values that may come from alerts: a quote in a value is doubled, never left to end the literal.</summary>
public static class ODataFilter
{
    public static string Eq(string property, string value) => $"{property} eq '{Escape(value)}'";

    /// <summary>"property in ('a','b')": for the properties whose Graph reference page lists "in" among their $filter operators.</summary>
    public static string In(string property, IEnumerable<string> values) =>
        $"{property} in ({string.Join(",", values.Select(v => $"'{Escape(v)}'"))})";

    public static string Escape(string value) => value.Replace("'", "''", StringComparison.Ordinal);
}
