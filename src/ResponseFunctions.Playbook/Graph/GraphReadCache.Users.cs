using System.Net;
using System.Text.Json;

namespace ResponseFunctions.Playbook.Graph;

/// <summary>User reads answered from another read of the same user: by principal name, or in a list.</summary>
public sealed partial class GraphReadCache
{
    /// <summary>A user read by user principal name answers the same read by object id (how the steps read it after resolving).</summary>
    private void Alias(Uri uri, string[] path, Snapshot snapshot, DateTimeOffset at)
    {
        if (path is not ["users", var name] || !name.Contains('@', StringComparison.Ordinal) || snapshot.Status != HttpStatusCode.OK)
        {
            return;
        }

        string? id;
        try
        {
            using var json = JsonDocument.Parse(snapshot.Body);
            id = json.RootElement.TryGetProperty("id", out var value) ? value.GetString() : null;
        }
        catch (JsonException)
        {
            return;
        }

        if (id is null || !Ids().IsMatch(id))
        {
            return;
        }

        var segments = uri.AbsolutePath.Split('/');
        segments[^1] = id;
        var byId = new UriBuilder(uri) { Path = string.Join('/', segments) }.Uri.AbsoluteUri;
        var read = new TaskCompletionSource<Snapshot?>(TaskCreationOptions.RunContinuationsAsynchronously);
        read.SetResult(snapshot);
        lock (_gate)
        {
            _entries.TryAdd(byId, new Entry(at, read, byId));
        }
    }

    /// <summary>A list of users narrowed by $filter (GET /users?$filter=id in (...)&amp;$select=...): what a wave's planning reads.</summary>
    private static bool IsFilteredList(Uri uri) =>
        uri.Query.Contains("filter=", StringComparison.OrdinalIgnoreCase) && !uri.Query.Contains("skiptoken", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Each user of a filtered list answers that user's own read with the list's $select (GET /users/{id}?$select=...)
    /// as if read when the list was: the same service answer, for the same properties, at the same time. Any write
    /// naming the user drops it as it drops every read of the user.
    /// </summary>
    private void Seed(Uri uri, string[] path, Snapshot snapshot, DateTimeOffset at)
    {
        if (path is not ["users"] || snapshot.Status != HttpStatusCode.OK || !IsFilteredList(uri))
        {
            return;
        }

        // The user's own read carries the list's query but its $filter, $top and $count: kiota writes the rest alike.
        var query = string.Join('&', uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => Uri.UnescapeDataString(p.Split('=', 2)[0]) is not ("$filter" or "$top" or "$count")));
        List<(string Id, byte[] Body)> users = [];
        try
        {
            using var json = JsonDocument.Parse(snapshot.Body);
            if (!json.RootElement.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            foreach (var user in value.EnumerateArray())
            {
                if (user.TryGetProperty("id", out var id) && id.GetString() is { } text && Ids().IsMatch(text))
                {
                    users.Add((text, JsonSerializer.SerializeToUtf8Bytes(user)));
                }
            }
        }
        catch (JsonException)
        {
            return;
        }

        lock (_gate)
        {
            foreach (var (id, body) in users)
            {
                // Written out whole: UriBuilder would unescape the query ("%24select" becomes "$select"), which kiota's own read keeps.
                var key = new Uri($"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath.TrimEnd('/')}/{id}{(query.Length > 0 ? "?" + query : "")}").AbsoluteUri;
                if (_entries.TryGetValue(key, out var current) && !current.Read.Task.IsCompleted)
                {
                    continue; // a read of the user in flight: its own answer stands
                }

                var read = new TaskCompletionSource<Snapshot?>(TaskCreationOptions.RunContinuationsAsynchronously);
                read.SetResult(snapshot with { Body = body, ContentHeaders = [.. snapshot.ContentHeaders.Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))] });
                _entries[key] = new Entry(at, read, key);
            }
        }
    }
}
