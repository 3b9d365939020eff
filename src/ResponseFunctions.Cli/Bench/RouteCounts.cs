using System.Text.RegularExpressions;
using ResponseFunctions.SimulatedTenant;

namespace ResponseFunctions.Cli.Bench;

/// <summary>
/// Requests per route (method and path with ids and names folded to {id}, plus the query options used, and the
/// cmdlet for Exchange), most frequent first: what is still read or written per account, and what could be cut.
/// </summary>
internal static partial class RouteCounts
{
    public static IReadOnlyDictionary<string, int> Of(IReadOnlyList<RecordedRequest> log) =>
        log.Where(r => r.StatusCode != 429)
            .GroupBy(RouteOf)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count());

    private static string RouteOf(RecordedRequest request)
    {
        var question = request.PathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? request.PathAndQuery : request.PathAndQuery[..question];
        var options = question < 0 ? "" : "?" + string.Join(",", Uri.UnescapeDataString(request.PathAndQuery[(question + 1)..]).Split('&')
            .Select(o => o.Split('=')[0]).Where(o => o.StartsWith('$')).Order(StringComparer.Ordinal));
        var route = Names().Replace(Ids().Replace(Uri.UnescapeDataString(path), "{id}"), "{id}");
        if (path.EndsWith("/InvokeCommand", StringComparison.OrdinalIgnoreCase) && Cmdlet().Match(request.Body ?? "") is { Success: true } cmdlet)
        {
            route += " " + cmdlet.Groups[1].Value;
        }

        return $"{request.Method} {route}{(options == "?" ? "" : options)}";
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Ids();

    [GeneratedRegex(@"[^/'()]+@[^/'()]+")]
    private static partial Regex Names();

    [GeneratedRegex("\"CmdletName\"\\s*:\\s*\"([^\"]+)\"")]
    private static partial Regex Cmdlet();
}
