namespace ResponseFunctions.Playbook.AzureResources;

/// <summary>
/// The alerts Microsoft Sentinel / Defender for Cloud wrote for a resource (table SecurityAlert of the workspace), the
/// sheet's test of an isolation: "valider l'absence de nouvelles alertes après l'opération".
/// </summary>
/// <remarks>Source: learn.microsoft.com/azure/azure-monitor/reference/tables/securityalert (ResourceId, AlertName, AlertSeverity, SystemAlertId, ProductName, TimeGenerated).</remarks>
public sealed class SecurityAlerts(LogsQueryClient logs)
{
    /// <summary>The query, with the resource id and the time only as KQL literals.</summary>
    public static string QueryFor(string resourceId, DateTimeOffset since) =>
        $"SecurityAlert | where TimeGenerated > {Kql.DateTime(since)} | where ResourceId =~ {Kql.String(resourceId)} "
        + "| project TimeGenerated, AlertName, AlertSeverity, ProductName, SystemAlertId, ResourceId | order by TimeGenerated asc";

    public async Task<IReadOnlyList<SecurityAlertRow>> SinceAsync(string workspaceId, string resourceId, DateTimeOffset since, DateTimeOffset until,
        CancellationToken cancellationToken)
    {
        var result = await logs.QueryWorkspaceAsync(workspaceId, QueryFor(resourceId, since), new QueryTimeRange(since, until.AddMinutes(5)), cancellationToken);
        return [.. result.Table.Rows.Select(r => new SecurityAlertRow(
            r.GetDateTimeOffset("TimeGenerated") ?? since, r.GetString("AlertName") ?? "", r.GetString("AlertSeverity") ?? "", r.GetString("SystemAlertId") ?? ""))];
    }
}

public sealed record SecurityAlertRow(DateTimeOffset TimeGenerated, string AlertName, string Severity, string SystemAlertId);
