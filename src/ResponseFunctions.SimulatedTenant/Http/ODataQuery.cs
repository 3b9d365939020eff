using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ResponseFunctions.SimulatedTenant.Http;

/// <summary>
/// The small OData subset playbooks use: $filter of "prop eq 'value'" or "prop in ('a','b')" clauses joined by "and",
/// $top, $expand and $orderby where an endpoint allows it. "in" is accepted only on the properties an endpoint names
/// (those whose Graph reference page says "Supports $filter (..., in)"). Anything else in $filter is a 400, as the real
/// service would not silently ignore it either.
/// </summary>
internal sealed partial class ODataQuery
{
    private ODataQuery(IReadOnlyList<FilterClause> filter, int? top, IReadOnlyList<string> expand, string? orderBy)
    {
        Filter = filter;
        Top = top;
        Expand = expand;
        OrderBy = orderBy;
    }

    public IReadOnlyList<FilterClause> Filter { get; }
    public int? Top { get; }
    public IReadOnlyList<string> Expand { get; }
    public string? OrderBy { get; }

    /// <summary>The same query without $top: for an endpoint that pages itself ($skiptoken).</summary>
    public ODataQuery WithoutTop() => new(Filter, null, Expand, OrderBy);

    public static ODataQuery Parse(IQueryCollection query)
    {
        foreach (var key in query.Keys)
        {
            if (key.StartsWith('$') && !KnownOptions.Contains(key))
            {
                throw GraphException.BadRequest($"Unsupported request: query option '{key}' is not simulated.");
            }
        }

        var filter = query.TryGetValue("$filter", out var f) ? ParseFilter(f.ToString()) : [];
        int? top = null;
        if (query.TryGetValue("$top", out var t))
        {
            if (!int.TryParse(t.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > 999)
            {
                throw GraphException.BadRequest($"Invalid page size specified: '{t}'. Must be between 1 and 999 inclusive.");
            }

            top = n;
        }

        var expand = query.TryGetValue("$expand", out var e)
            ? e.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        var orderBy = query.TryGetValue("$orderby", out var o) ? o.ToString().Trim() : null;
        return new ODataQuery(filter, top, expand, orderBy);
    }

    /// <summary>Applies $filter (only on the properties given; "in" only on <paramref name="inFilterable"/>), $orderby (only the ones allowed) and $top.</summary>
    public IEnumerable<T> Apply<T>(
        IEnumerable<T> items,
        IReadOnlyDictionary<string, Func<T, string?>> filterable,
        IReadOnlyDictionary<string, Func<IEnumerable<T>, IEnumerable<T>>>? orderings = null,
        IReadOnlySet<string>? inFilterable = null)
    {
        foreach (var clause in Filter)
        {
            if (!filterable.ContainsKey(clause.Property))
            {
                throw GraphException.BadRequest($"Unsupported request: $filter on property '{clause.Property}' is not simulated.");
            }

            if (clause.IsIn && inFilterable?.Contains(clause.Property) != true)
            {
                throw GraphException.BadRequest($"Unsupported query: the 'in' operator is not supported on property '{clause.Property}'.");
            }
        }

        // Each clause's values in a set, looked up once per item: a list read with `in` walks the whole directory, so
        // nothing is allocated per item (at 1,000 accounts a scan per 15 users made the simulator's cost grow as N²).
        var clauses = Filter.Select(c => (Value: filterable[c.Property], Accepted: c.Values.ToHashSet(StringComparer.OrdinalIgnoreCase))).ToList();
        var result = clauses.Count == 0 ? items : items.Where(item => Matches(item, clauses));

        if (OrderBy is not null)
        {
            if (orderings is null || !orderings.TryGetValue(OrderBy, out var order))
            {
                throw GraphException.BadRequest($"Unsupported request: $orderby '{OrderBy}' is not simulated.");
            }

            result = order(result);
        }

        return Top is { } top ? result.Take(top) : result;
    }

    /// <summary>Returns whether $expand asks for the navigation; any other expansion is a 400.</summary>
    public bool Expands(params string[] allowed)
    {
        foreach (var item in Expand)
        {
            if (!allowed.Contains(item, StringComparer.OrdinalIgnoreCase))
            {
                throw GraphException.BadRequest($"Unsupported request: $expand '{item}' is not simulated.");
            }
        }

        return Expand.Count > 0;
    }

    private static List<FilterClause> ParseFilter(string filter)
    {
        var clauses = new List<FilterClause>();
        var position = 0;
        while (position < filter.Length)
        {
            var match = Clause().Match(filter, position);
            if (!match.Success || match.Index != position)
            {
                throw GraphException.BadRequest(
                    $"Unsupported request: $filter '{filter}' (only \"<property> eq '<value>'\" and \"<property> in ('<value>', ...)\" clauses joined by 'and' are simulated).");
            }

            var isIn = match.Groups["list"].Success;
            List<string> values = isIn
                ? [.. Literal().Matches(match.Groups["list"].Value).Select(m => Unquote(m.Value))]
                : [Unquote(match.Groups["value"].Value)];
            clauses.Add(new FilterClause(match.Groups["prop"].Value, values, isIn));
            position = match.Index + match.Length;
        }

        if (clauses.Count == 0)
        {
            throw GraphException.BadRequest("Invalid filter clause: empty $filter.");
        }

        return clauses;
    }

    private static readonly HashSet<string> KnownOptions =
        new(["$filter", "$top", "$expand", "$select", "$count", "$orderby", "$skiptoken"], StringComparer.OrdinalIgnoreCase);

    private static string Unquote(string raw) =>
        raw.StartsWith('\'') ? raw[1..^1].Replace("''", "'", StringComparison.Ordinal) : raw.ToLowerInvariant();

    private const string ValuePattern = @"'(?:[^']|'')*'|true|false|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}";

    [GeneratedRegex(@"\G\s*(?<prop>[A-Za-z][A-Za-z0-9]*)\s+(?:eq\s+(?<value>" + ValuePattern + @")|in\s*\((?<list>\s*(?:" + ValuePattern + @")(?:\s*,\s*(?:" + ValuePattern + @"))*\s*)\))\s*(?:and(?=\s)|$)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Clause();

    [GeneratedRegex(ValuePattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Literal();

    private static bool Matches<T>(T item, List<(Func<T, string?> Value, HashSet<string> Accepted)> clauses)
    {
        foreach (var (value, accepted) in clauses)
        {
            if (value(item) is not { } actual || !accepted.Contains(actual))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>One $filter clause: "eq" has one value, "in" one or more.</summary>
internal sealed record FilterClause(string Property, IReadOnlyList<string> Values, bool IsIn);
