using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Graph.Models;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Graph.IdentityProtection;

/// <summary>
/// GET /identityProtection/riskDetections: $filter clauses "detectedDateTime ge|gt &lt;datetime&gt;" and
/// "&lt;prop&gt; eq '&lt;value&gt;'" (riskLevel, riskState, riskEventType, userId) joined by "and"; ordered by
/// detectedDateTime; $top (default 20, at most 500) pages with an @odata.nextLink carrying $skiptoken.
/// </summary>
internal static partial class RiskDetectionEndpoints
{
    private const string Collection = "identityProtection/riskDetections";
    private const int DefaultPageSize = 20;

    private static readonly Dictionary<string, Func<SimRiskDetection, string?>> EqualityFilters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["riskLevel"] = d => d.RiskLevel,
        ["riskState"] = d => d.RiskState,
        ["riskEventType"] = d => d.RiskEventType,
        ["userId"] = d => d.UserId,
    };

    public static void Map(GraphRouter router) => router.Map("GET", Collection, List);

    private static GraphResponse List(GraphRequest request)
    {
        var filter = Filter(request.Query["$filter"].ToString());
        var top = DefaultPageSize;
        if (request.Query.TryGetValue("$top", out var t) && (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top is < 1 or > 500))
        {
            throw GraphException.BadRequest($"Invalid page size specified: '{t}'. Must be between 1 and 500 inclusive.");
        }

        var skip = 0;
        if (request.Query.TryGetValue("$skiptoken", out var s) && !int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out skip))
        {
            throw GraphException.BadRequest($"Invalid $skiptoken '{s}'.");
        }

        var matching = request.State.Read(m => m.RiskDetections.Where(filter).OrderBy(d => d.DetectedDateTime).ThenBy(d => d.Id, StringComparer.Ordinal).Select(ToGraph).ToList());
        var page = matching.Skip(skip).Take(top).ToList();
        var body = JsonNode.Parse(GraphJson.Collection(page, Collection))!.AsObject();
        if (skip + top < matching.Count)
        {
            var query = string.Join("&", new[]
            {
                request.Query["$filter"].ToString() is { Length: > 0 } f ? "$filter=" + Uri.EscapeDataString(f) : null,
                $"$top={top}",
                $"$skiptoken={skip + top}",
            }.OfType<string>());

            // Graph's own host, as the real service answers; clients follow it on the base URL they were configured with.
            body["@odata.nextLink"] = $"https://graph.microsoft.com/v1.0/{Collection}?{query}";
        }

        return GraphResponse.Ok(body.ToJsonString());
    }

    private static Func<SimRiskDetection, bool> Filter(string filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return _ => true;
        }

        var clauses = new List<Func<SimRiskDetection, bool>>();
        foreach (var part in AndSplit().Split(filter.Trim()))
        {
            if (DateClause().Match(part) is { Success: true } date)
            {
                if (!DateTimeOffset.TryParse(date.Groups["value"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                {
                    throw GraphException.BadRequest($"Invalid filter clause: '{date.Groups["value"].Value}' is not a DateTimeOffset literal.");
                }

                var op = date.Groups["op"].Value.ToLowerInvariant();
                clauses.Add(op == "ge" ? d => d.DetectedDateTime >= at : d => d.DetectedDateTime > at);
            }
            else if (EqualityClause().Match(part) is { Success: true } equality && EqualityFilters.TryGetValue(equality.Groups["prop"].Value, out var read))
            {
                var value = equality.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal);
                clauses.Add(d => string.Equals(read(d), value, StringComparison.OrdinalIgnoreCase));
            }
            else
            {
                throw GraphException.BadRequest($"Unsupported request: $filter clause '{part}' is not simulated on riskDetections.");
            }
        }

        return d => clauses.All(c => c(d));
    }

    private static RiskDetection ToGraph(SimRiskDetection d) => new()
    {
        Id = d.Id,
        UserId = d.UserId,
        UserPrincipalName = d.UserPrincipalName,
        UserDisplayName = d.UserDisplayName,
        RiskEventType = d.RiskEventType,
        RiskLevel = Parse<RiskLevel>(d.RiskLevel),
        RiskState = Parse<RiskState>(d.RiskState),
        RiskDetail = Parse<RiskDetail>(d.RiskDetail),
        DetectionTimingType = Parse<RiskDetectionTimingType>(d.DetectionTimingType),
        Activity = Parse<ActivityType>(d.Activity),
        Source = d.Source,
        DetectedDateTime = d.DetectedDateTime,
        ActivityDateTime = d.ActivityDateTime ?? d.DetectedDateTime,
        LastUpdatedDateTime = d.LastUpdatedDateTime ?? d.DetectedDateTime,
        IpAddress = d.IpAddress,
        Location = d.City is null && d.CountryOrRegion is null ? null : new SignInLocation { City = d.City, CountryOrRegion = d.CountryOrRegion },
    };

    private static T? Parse<T>(string value)
        where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: true, out var parsed) ? parsed : null;

    [GeneratedRegex(@"\s+and\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AndSplit();

    [GeneratedRegex(@"^detectedDateTime\s+(?<op>ge|gt)\s+(?<value>\d{4}-\d{2}-\d{2}T[0-9:.]+(Z|[+-]\d{2}:\d{2}))$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DateClause();

    [GeneratedRegex(@"^(?<prop>[A-Za-z]+)\s+eq\s+'(?<value>(?:[^']|'')*)'$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EqualityClause();
}
