using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ResponseFunctions.Playbook.AzureResources;

/// <summary>
/// The Log Analytics query API (<c>POST https://api.loganalytics.io/v1/workspaces/{workspaceId}/query</c>), in the shape of
/// Azure.Monitor.Query's <c>LogsQueryClient.QueryWorkspaceAsync</c>, which is not served here: the day it is, this class
/// is replaced and its callers keep their code.
/// </summary>
/// <remarks>Source: learn.microsoft.com/rest/api/loganalytics/dataaccess/query/execute (body {query, timespan}; response {tables:[{name, columns:[{name,type}], rows}]}).</remarks>
public sealed class LogsQueryClient(AzureClients clients)
{
    private readonly HttpPipeline _pipeline = clients.CreatePipeline(AzureClients.LogAnalyticsScope);

    public async Task<LogsQueryResult> QueryWorkspaceAsync(string workspaceId, string query, QueryTimeRange timeRange, CancellationToken cancellationToken = default)
    {
        if (!Guid.TryParse(workspaceId, out var workspace))
        {
            throw new ArgumentException("The workspace id is the workspace's GUID (Workspace ID in its properties).", nameof(workspaceId));
        }

        using var message = _pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Post;
        message.Request.Uri.Reset(new Uri(AzureClients.LogAnalyticsEndpoint, $"v1/workspaces/{workspace:D}/query"));
        message.Request.Headers.Add("Content-Type", "application/json");
        message.Request.Content = RequestContent.Create(BinaryData.FromString(
            new JsonObject { ["query"] = query, ["timespan"] = timeRange.ToIsoString() }.ToJsonString()));
        await _pipeline.SendAsync(message, cancellationToken);
        var response = message.Response;
        if (response.Status != 200)
        {
            throw new RequestFailedException(response);
        }

        var tables = JsonNode.Parse(response.Content.ToString())?["tables"]?.AsArray() ?? [];
        return new LogsQueryResult([.. tables.Select(t => LogsTable.From(t!.AsObject()))]);
    }
}

/// <summary>An interval of time, as the query API's ISO 8601 <c>timespan</c> ("start/end").</summary>
public readonly record struct QueryTimeRange(DateTimeOffset Start, DateTimeOffset End)
{
    public string ToIsoString() =>
        $"{Start.UtcDateTime.ToString("o", CultureInfo.InvariantCulture)}/{End.UtcDateTime.ToString("o", CultureInfo.InvariantCulture)}";
}

public sealed record LogsQueryResult(IReadOnlyList<LogsTable> AllTables)
{
    /// <summary>The primary table (the only one a query without a <c>fork</c> returns).</summary>
    public LogsTable Table => AllTables.Count > 0 ? AllTables[0] : new LogsTable("PrimaryResult", [], []);
}

public sealed record LogsTable(string Name, IReadOnlyList<LogsTableColumn> Columns, IReadOnlyList<LogsTableRow> Rows)
{
    internal static LogsTable From(JsonObject table)
    {
        var columns = (table["columns"]?.AsArray() ?? []).Select(c => new LogsTableColumn(c!["name"]!.GetValue<string>(), c["type"]?.GetValue<string>() ?? "string")).ToList();
        var rows = (table["rows"]?.AsArray() ?? []).Select(r => new LogsTableRow(columns, [.. r!.AsArray().Select(v => v?.DeepClone())])).ToList();
        return new LogsTable(table["name"]?.GetValue<string>() ?? "PrimaryResult", columns, rows);
    }
}

public sealed record LogsTableColumn(string Name, string Type);

/// <summary>One row; values read by column name, as in Azure.Monitor.Query.</summary>
public sealed class LogsTableRow(IReadOnlyList<LogsTableColumn> columns, IReadOnlyList<JsonNode?> values)
{
    public string? GetString(string column) => Value(column) is JsonValue v && v.TryGetValue<string>(out var s) ? s : Value(column)?.ToJsonString();

    public DateTimeOffset? GetDateTimeOffset(string column) =>
        GetString(column) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private JsonNode? Value(string column)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i].Name, column, StringComparison.OrdinalIgnoreCase))
            {
                return i < values.Count ? values[i] : null;
            }
        }

        throw new KeyNotFoundException($"No column '{column}' in the result.");
    }
}
