using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.AzureCloud;

/// <summary>
/// The Log Analytics query API (<c>POST /v1/workspaces/{workspaceId}/query</c>, reached at /loganalytics/… here) answering
/// SecurityAlert rows. It evaluates one query shape, the one the playbook sends
/// (<c>SecurityAlert | where TimeGenerated &gt; datetime(…) | where ResourceId =~ "…" | project … | order by TimeGenerated asc</c>);
/// anything else is refused as the service refuses a query it cannot parse, so a query whose values escaped their
/// literals shows up as an error, never as rows.
/// </summary>
/// <remarks>Source: learn.microsoft.com/rest/api/loganalytics/dataaccess/query/execute; SecurityAlert columns from
/// learn.microsoft.com/azure/azure-monitor/reference/tables/securityalert.</remarks>
internal sealed partial class LogAnalyticsPlane : ISimulatedPlane
{
    public const string Prefix = "/loganalytics";

    private static readonly string[] Columns = ["TimeGenerated", "AlertName", "AlertSeverity", "ProductName", "SystemAlertId", "ResourceId"];

    public bool Handles(string path) => path.StartsWith(Prefix + "/", StringComparison.OrdinalIgnoreCase);

    public string ErrorBody(int statusCode, string code, string message) =>
        new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["code"] = code } }.ToJsonString();

    public Task<int> HandleAsync(PlaneContext context) => Handle(context).WriteAsync(context.Http);

    private static ArmReply Handle(PlaneContext context)
    {
        var request = context.Http.Request;
        if (!request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Error(401, "AuthorizationRequiredError", "Valid authentication was not provided.");
        }

        var match = QueryPath().Match(context.Path);
        if (!match.Success || request.Method != "POST")
        {
            return Error(404, "PathNotFoundError", $"The requested path does not exist: {request.Method} {context.Path}.");
        }

        var services = context.Services;
        var workspace = services.State.Read(m => m.Azure.WorkspaceId);
        if (!string.Equals(workspace, match.Groups["ws"].Value, StringComparison.OrdinalIgnoreCase))
        {
            return Error(404, "WorkspaceNotFoundError", $"The workspace {match.Groups["ws"].Value} could not be found.");
        }

        var body = string.IsNullOrWhiteSpace(context.Body) ? null : JsonNode.Parse(context.Body);
        var query = body?["query"]?.GetValue<string>();
        if (query is null || KqlText.Split(query) is not { } parts || Shape().Match(parts.Code) is not { Success: true } shape
            || !DateTimeOffset.TryParse(shape.Groups["since"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since)
            || int.Parse(shape.Groups["literal"].Value, CultureInfo.InvariantCulture) >= parts.Literals.Count)
        {
            return Error(400, "BadArgumentError", "The request had some invalid properties: the query could not be parsed (the simulator evaluates one SecurityAlert shape).");
        }

        var resourceId = parts.Literals[int.Parse(shape.Groups["literal"].Value, CultureInfo.InvariantCulture)];
        var (from, to) = Timespan(body?["timespan"]?.GetValue<string>());
        var now = services.Time.GetUtcNow();
        var rows = services.State.Read(m => Alerts(m.Azure, now))
            .Where(a => a.At > since && a.At >= from && a.At <= to && string.Equals(a.Alert.ResourceId, resourceId, StringComparison.OrdinalIgnoreCase))
            .OrderBy(a => a.At)
            .Select(a => (JsonNode)new JsonArray(
                a.At.UtcDateTime.ToString("o", CultureInfo.InvariantCulture), a.Alert.AlertName, a.Alert.AlertSeverity, a.Alert.ProductName,
                a.Alert.SystemAlertId, a.Alert.ResourceId));
        return new ArmReply(200, new JsonObject
        {
            ["tables"] = new JsonArray(new JsonObject
            {
                ["name"] = "PrimaryResult",
                ["columns"] = new JsonArray([.. Columns.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["type"] = c == "TimeGenerated" ? "datetime" : "string" })]),
                ["rows"] = new JsonArray([.. rows]),
            }),
        });
    }

    /// <summary>The workspace's SecurityAlert rows at <paramref name="now"/>: the scenario's, and each feed's until its resource was isolated.</summary>
    internal static List<(DateTimeOffset At, SimSecurityAlert Alert)> Alerts(SimAzure azure, DateTimeOffset now)
    {
        var alerts = azure.SecurityAlerts.Select(a => (a.TimeGenerated ?? azure.ClockOrigin.AddMinutes(-a.MinutesAgo), a)).ToList();
        foreach (var feed in azure.AlertFeeds)
        {
            var end = azure.IsolatedAt.TryGetValue(feed.ResourceId, out var isolated) && isolated < now ? isolated : now;
            var step = TimeSpan.FromMinutes(Math.Max(feed.EveryMinutes, 0.01));
            var index = 0;
            for (var at = azure.ClockOrigin; at <= end && index < 10_000; at += step, index++)
            {
                alerts.Add((at, new SimSecurityAlert
                {
                    SystemAlertId = $"{feed.AlertName.GetHashCode(StringComparison.Ordinal):x8}-{index}", AlertName = feed.AlertName,
                    AlertSeverity = feed.AlertSeverity, ProductName = feed.ProductName, ResourceId = feed.ResourceId,
                }));
            }
        }

        return alerts;
    }

    private static (DateTimeOffset From, DateTimeOffset To) Timespan(string? value)
    {
        var parts = value?.Split('/');
        return parts is { Length: 2 }
            && DateTimeOffset.TryParse(parts[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var from)
            && DateTimeOffset.TryParse(parts[1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var to)
            ? (from, to)
            : (DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
    }

    private static ArmReply Error(int status, string code, string message) =>
        new(status, new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["code"] = code } });

    [GeneratedRegex("^/loganalytics/v1/workspaces/(?<ws>[0-9a-fA-F-]{36})/query$")]
    private static partial Regex QueryPath();

    [GeneratedRegex(@"^\s*SecurityAlert\s*\|\s*where\s+TimeGenerated\s*>\s*datetime\((?<since>[0-9T:.\-Z]+)\)\s*\|\s*where\s+ResourceId\s*=~\s*@(?<literal>\d+)\s*\|\s*project\s+[A-Za-z, ]+(\|\s*order\s+by\s+TimeGenerated\s+asc\s*)?$")]
    private static partial Regex Shape();
}
