namespace ResponseFunctions.SimulatedTenant.Http;

internal delegate GraphResponse GraphHandler(GraphRequest request);

/// <summary>
/// Minimal segment router. Graph ids contain characters ASP.NET routing treats specially (#EXT#, $ref, dots), so
/// routes match on already-decoded segments, literals case-insensitively, first registration wins.
/// </summary>
internal sealed class GraphRouter
{
    private readonly List<Route> _routes = [];

    public GraphRouter Map(string method, string template, GraphHandler handler)
    {
        _routes.Add(new Route(method, template.Trim('/').Split('/'), handler));
        return this;
    }

    /// <summary>Every (method, template) served, for the conformance check.</summary>
    public IEnumerable<(string Method, string Template)> Routes => _routes.Select(r => (r.Method, string.Join('/', r.Segments)));

    public bool TryMatch(string method, IReadOnlyList<string> segments, out GraphHandler? handler, out Dictionary<string, string> values)
    {
        foreach (var route in _routes)
        {
            if (!string.Equals(route.Method, method, StringComparison.OrdinalIgnoreCase)
                || route.Segments.Length != segments.Count)
            {
                continue;
            }

            var captured = new Dictionary<string, string>(StringComparer.Ordinal);
            var matched = true;
            for (var i = 0; i < segments.Count && matched; i++)
            {
                var template = route.Segments[i];
                if (template.StartsWith('{') && template.EndsWith('}'))
                {
                    captured[template[1..^1]] = segments[i];
                }
                else
                {
                    matched = string.Equals(template, segments[i], StringComparison.OrdinalIgnoreCase);
                }
            }

            if (matched)
            {
                handler = route.Handler;
                values = captured;
                return true;
            }
        }

        handler = null;
        values = [];
        return false;
    }

    private sealed record Route(string Method, string[] Segments, GraphHandler Handler);
}
