using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Graph.Models;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Graph.AuditLogs;

/// <summary>
/// /auditLogs/directoryAudits, newest first: what an application did in the directory (initiatedBy/app/appId eq) and
/// what was done to it (targetResources/any(t:t/id eq)). With v1.0 signIns showing interactive user sign-ins only,
/// this is where v1.0 shows a compromised app's own activity.
/// </summary>
/// <remarks>Source: Graph v1.0 directoryAudit resource ($filter on initiatedBy/app/appId and targetResources/any(t: t/id eq))
/// and "List directoryAudits" ($filter, $top).</remarks>
internal static partial class DirectoryAuditEndpoints
{
    private const string Collection = "auditLogs/directoryAudits";

    public static void Map(GraphRouter router) => router.Map("GET", Collection, List);

    private static GraphResponse List(GraphRequest request)
    {
        var filter = request.Query["$filter"].ToString();
        Func<SimDirectoryAudit, bool> match = filter switch
        {
            "" => _ => true,
            _ when InitiatedByApp().Match(filter) is { Success: true } m => a => string.Equals(a.InitiatedByAppId, m.Groups["id"].Value, StringComparison.OrdinalIgnoreCase),
            _ when TargetResource().Match(filter) is { Success: true } m => a => a.TargetIds.Contains(m.Groups["id"].Value, StringComparer.OrdinalIgnoreCase),
            _ => throw GraphException.BadRequest($"Unsupported request: $filter '{filter}' (only initiatedBy/app/appId eq and targetResources/any(t:t/id eq) are simulated)."),
        };
        var top = int.TryParse(request.Query["$top"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : 1000;
        var audits = request.State.Read(m => m.DirectoryAudits.Where(match).OrderByDescending(a => a.ActivityDateTime).Take(top).Select(ToGraph).ToList());
        return GraphResponse.Ok(GraphJson.Collection(audits, Collection));
    }

    private static DirectoryAudit ToGraph(SimDirectoryAudit a) => new()
    {
        Id = a.Id,
        ActivityDateTime = a.ActivityDateTime,
        ActivityDisplayName = a.ActivityDisplayName,
        Category = a.Category,
        LoggedByService = "Core Directory",
        Result = OperationResult.Success,
        InitiatedBy = new AuditActivityInitiator
        {
            App = a.InitiatedByAppId is null ? null : new AppIdentity { AppId = a.InitiatedByAppId, DisplayName = a.InitiatedByAppName },
            User = a.InitiatedByUserId is null ? null : new UserIdentity { Id = a.InitiatedByUserId },
        },
        TargetResources = [.. a.TargetIds.Select(id => new TargetResource { Id = id })],
    };

    [GeneratedRegex(@"^\s*initiatedBy/app/appId\s+eq\s+'(?<id>[^']+)'\s*$")]
    private static partial Regex InitiatedByApp();

    [GeneratedRegex(@"^\s*targetResources/any\(\s*(?<v>\w+)\s*:\s*\k<v>/id\s+eq\s+'(?<id>[^']+)'\s*\)\s*$")]
    private static partial Regex TargetResource();
}

/// <summary>One directory audit entry: who did it (an app or a user) and to what.</summary>
public sealed class SimDirectoryAudit
{
    public string Id { get; set; } = "";
    public DateTimeOffset ActivityDateTime { get; set; }
    public string ActivityDisplayName { get; set; } = "";
    public string Category { get; set; } = "ApplicationManagement";
    public string? InitiatedByAppId { get; set; }
    public string? InitiatedByAppName { get; set; }
    public string? InitiatedByUserId { get; set; }
    public List<string> TargetIds { get; set; } = [];
}
