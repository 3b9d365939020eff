using System.Text.Json;
using ResponseFunctions.SimulatedTenant;

namespace ResponseFunctions.Cli.Tests.Conformance;

/// <summary>
/// Checks requests as they went over the wire against the Graph v1.0 CSDL (path, method, $select/$expand, body
/// properties, @odata.type values) and the Exchange Online cmdlet list (cmdlet and parameter names).
/// </summary>
internal sealed class WireConformance(GraphCsdl csdl, ExchangeCmdletList cmdlets)
{
    private const string GraphPrefix = "/v1.0/";

    /// <summary>Requests a test sent on purpose to be refused (400, 405, 501…) are not claims about the service; the rest are.</summary>
    public static bool Accepted(RecordedRequest request) => request.StatusCode is < 400 or 404;

    public IEnumerable<string> Check(RecordedRequest request)
    {
        var (path, query) = Split(request.PathAndQuery);
        if (string.Equals(path, GraphPrefix + "$batch", StringComparison.OrdinalIgnoreCase))
        {
            return CheckBatch(request.Method, request.Body).Select(p => $"{request.Method} {request.PathAndQuery}: {p}");
        }

        if (path.StartsWith(GraphPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return CheckGraph(request.Method, path[GraphPrefix.Length..], query, request.Body).Select(p => $"{request.Method} {request.PathAndQuery}: {p}");
        }

        if (path.StartsWith("/adminapi/", StringComparison.OrdinalIgnoreCase) && path.EndsWith("/InvokeCommand", StringComparison.OrdinalIgnoreCase))
        {
            return CheckExchange(request.Body).Select(p => $"InvokeCommand {Cmdlet(request.Body)}: {p}");
        }

        return [];
    }

    /// <summary>
    /// JSON batching is OData's <c>$batch</c> endpoint, not a CSDL entity set (Graph docs, "Combine multiple HTTP requests
    /// using JSON batching"): only POST, at most 20 requests, each with an id, a method and a URL relative to the
    /// version; each request of the envelope is then checked against the CSDL like any other (those the simulated tenant
    /// served are also recorded one by one, with their batch).
    /// </summary>
    public IEnumerable<string> CheckBatch(string method, string? body)
    {
        if (method != "POST")
        {
            yield return "$batch takes POST only";
            yield break;
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            yield break; // the simulated tenant records the envelope without its body and each request of it on its own
        }

        using var document = JsonDocument.Parse(body);
        if (!document.RootElement.TryGetProperty("requests", out var requests) || requests.ValueKind != JsonValueKind.Array)
        {
            yield return "a batch needs a 'requests' array";
            yield break;
        }

        if (requests.GetArrayLength() is 0 or > 20)
        {
            yield return $"a batch holds 1 to 20 requests, not {requests.GetArrayLength()}";
        }

        foreach (var inner in requests.EnumerateArray())
        {
            var id = inner.TryGetProperty("id", out var i) ? i.GetString() : null;
            var innerMethod = inner.TryGetProperty("method", out var m) ? m.GetString() : null;
            var url = inner.TryGetProperty("url", out var u) ? u.GetString() : null;
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(innerMethod) || string.IsNullOrEmpty(url) || url.StartsWith("http", StringComparison.OrdinalIgnoreCase))
            {
                yield return "each batched request needs an id, a method and a relative url";
                continue;
            }

            var (innerPath, innerQuery) = Split(url.StartsWith('/') ? url : "/" + url);
            var innerBody = inner.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.Object ? b.GetRawText() : null;
            foreach (var problem in CheckGraph(innerMethod.ToUpperInvariant(), Uri.UnescapeDataString(innerPath.TrimStart('/')), Uri.UnescapeDataString(innerQuery), innerBody))
            {
                yield return $"request {id} ({innerMethod} {url}): {problem}";
            }
        }
    }

    public IEnumerable<string> CheckGraph(string method, string relativePath, string query, string? body)
    {
        var segments = relativePath.Trim('/').Split('/');
        var problem = csdl.Resolve(method, segments, out var type, out var operation);
        if (problem is not null)
        {
            yield return problem;
            yield break;
        }

        foreach (var (option, value) in Options(query))
        {
            if (option is "$select" or "$expand")
            {
                foreach (var property in TopLevel(value))
                {
                    if (type is null || csdl.Property(type, property, includeDerived: true) is null)
                    {
                        yield return $"{option} '{property}' is not a property of {type}";
                    }
                }
            }
        }

        if (method is not ("POST" or "PATCH" or "PUT") || string.IsNullOrWhiteSpace(body))
        {
            yield break;
        }

        using var document = JsonDocument.Parse(body);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        if (operation is not null)
        {
            foreach (var property in document.RootElement.EnumerateObject().Where(p => !p.Name.Contains('@')))
            {
                if (!operation.Parameters.Contains(property.Name))
                {
                    yield return $"'{property.Name}' is not a parameter of action {operation.Name}";
                }
            }

            yield break;
        }

        if (segments[^1] == "$ref")
        {
            yield break;
        }

        foreach (var p in CheckObject(type!, document.RootElement, "body"))
        {
            yield return p;
        }
    }

    public IEnumerable<string> CheckExchange(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            yield return "no body";
            yield break;
        }

        using var document = JsonDocument.Parse(body);
        var input = document.RootElement.GetProperty("CmdletInput");
        var cmdlet = input.GetProperty("CmdletName").GetString()!;
        var names = input.TryGetProperty("Parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
            ? parameters.EnumerateObject().Select(p => p.Name).ToList()
            : [];
        foreach (var problem in cmdlets.Check(cmdlet, names))
        {
            yield return problem;
        }
    }

    private IEnumerable<string> CheckObject(string type, JsonElement value, string where)
    {
        if (value.TryGetProperty("@odata.type", out var odataType))
        {
            if (csdl.TypeNamed(odataType.GetString() ?? "") is not { } named)
            {
                yield return $"{where}: @odata.type '{odataType.GetString()}' is not a type in the CSDL";
                yield break;
            }

            type = named;
        }

        if (!csdl.IsEntityOrComplex(type))
        {
            yield break;
        }

        foreach (var property in value.EnumerateObject())
        {
            if (property.Name.StartsWith('@'))
            {
                continue;
            }

            var name = property.Name.EndsWith("@odata.bind", StringComparison.Ordinal) ? property.Name[..^"@odata.bind".Length] : property.Name;
            if (csdl.Property(type, name, includeDerived: true) is not { } info)
            {
                yield return $"{where}: '{name}' is not a property of {type}";
                continue;
            }

            var element = info.Type.StartsWith("Collection(", StringComparison.Ordinal) ? info.Type["Collection(".Length..^1] : info.Type;
            var items = property.Value.ValueKind switch
            {
                JsonValueKind.Object => [property.Value],
                JsonValueKind.Array => property.Value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).ToList(),
                _ => new List<JsonElement>(),
            };
            foreach (var item in items)
            {
                foreach (var problem in CheckObject(element, item, $"{where}.{name}"))
                {
                    yield return problem;
                }
            }
        }
    }

    private static (string Path, string Query) Split(string pathAndQuery)
    {
        var at = pathAndQuery.IndexOf('?');
        return at < 0 ? (pathAndQuery, "") : (pathAndQuery[..at], pathAndQuery[(at + 1)..]);
    }

    private static IEnumerable<(string Option, string Value)> Options(string query) =>
        query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).Where(p => p.Length == 2).Select(p => (p[0], p[1]));

    /// <summary>"id,roleDefinition($select=id),members" → id, roleDefinition, members.</summary>
    private static IEnumerable<string> TopLevel(string list)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= list.Length; i++)
        {
            if (i == list.Length || (list[i] == ',' && depth == 0))
            {
                var item = list[start..i];
                var open = item.IndexOf('(');
                var name = (open >= 0 ? item[..open] : item).Trim();
                if (name.Length > 0 && name != "*")
                {
                    yield return name.StartsWith("microsoft.graph.", StringComparison.Ordinal) ? name[(name.LastIndexOf('/') + 1)..] : name;
                }

                start = i + 1;
            }
            else if (list[i] == '(')
            {
                depth++;
            }
            else if (list[i] == ')')
            {
                depth--;
            }
        }
    }

    private static string Cmdlet(string? body)
    {
        try
        {
            using var document = JsonDocument.Parse(body ?? "");
            return document.RootElement.GetProperty("CmdletInput").GetProperty("CmdletName").GetString() ?? "?";
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "?";
        }
    }
}
