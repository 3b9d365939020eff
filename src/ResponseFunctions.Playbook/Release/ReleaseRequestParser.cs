using System.Text.Json;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Release;

/// <summary>
/// Reads a release request: <c>{"steps": "all-reversible" | [{"action": "1.c", "target": "&lt;id, UPN or name&gt;"}, "1.e", …],
/// "reason": "…"}</c>. Every problem is named by its field path; a JSON property given twice is refused.
/// </summary>
public static class ReleaseRequestParser
{
    public const int MaxItems = 100;
    public const int MaxReason = 1000;
    public const int MaxTarget = 400;

    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 16 };
    private static readonly HashSet<string> Known = ["steps", "reason"];
    private static readonly HashSet<string> KnownItem = ["action", "target"];

    public sealed record Parsed(ReleaseSelection? Selection, string? Reason, IReadOnlyList<RequestProblem> Problems)
    {
        public bool IsValid => Problems.Count == 0 && Selection is not null && Reason is not null;
    }

    public static Parsed Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return new(null, null, [new("$", "The request body is empty; expected {\"steps\": \"all-reversible\" | [{\"action\", \"target\"}], \"reason\"}.")]);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, Strict);
        }
        catch (JsonException ex)
        {
            return new(null, null, [new("$", $"The request body is not valid JSON: {ex.Message}")]);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new(null, null, [new("$", "Expected a JSON object.")]);
            }

            var problems = new List<RequestProblem>();
            foreach (var property in root.EnumerateObject().Where(p => !Known.Contains(p.Name)))
            {
                problems.Add(new(property.Name, $"Unknown property '{property.Name}'. Known: {string.Join(", ", Known)}."));
            }

            var selection = root.TryGetProperty("steps", out var steps) ? ReadSteps(steps, problems) : null;
            if (!root.TryGetProperty("steps", out _))
            {
                problems.Add(new("steps", "Required: \"all-reversible\" or a list of sheet ids (with an optional target)."));
            }

            string? reason = null;
            if (!root.TryGetProperty("reason", out var reasonElement) || reasonElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(reasonElement.GetString()))
            {
                problems.Add(new("reason", "Required: why the containment is released (e.g. \"false positive: the user was travelling\")."));
            }
            else if (reasonElement.GetString()!.Length > MaxReason)
            {
                problems.Add(new("reason", $"At most {MaxReason} characters."));
            }
            else
            {
                reason = reasonElement.GetString()!.Trim();
            }

            return new(problems.Count == 0 ? selection : null, reason, problems);
        }
    }

    /// <summary>The command line's form: "all" (or "all-reversible"), or "1.c,1.e" with optional ":target" per id; null when malformed.</summary>
    public static ReleaseSelection? ParseSelection(string value)
    {
        if (value is "all" or "all-reversible")
        {
            return ReleaseSelection.All;
        }

        var items = new List<ReleaseItem>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.IndexOf(':');
            var id = colon < 0 ? part : part[..colon];
            var target = colon < 0 ? null : part[(colon + 1)..];
            if (!ActionId.TryParse(id, out var action) || !ActionCatalog.Contains(action) || target is { Length: 0 })
            {
                return null;
            }

            items.Add(new ReleaseItem(action, target));
        }

        return items.Count == 0 ? null : new ReleaseSelection(false, items);
    }

    private static ReleaseSelection? ReadSteps(JsonElement steps, List<RequestProblem> problems)
    {
        if (steps.ValueKind == JsonValueKind.String)
        {
            if (steps.GetString() == "all-reversible")
            {
                return ReleaseSelection.All;
            }

            problems.Add(new("steps", "Expected \"all-reversible\" or a list of sheet ids."));
            return null;
        }

        if (steps.ValueKind != JsonValueKind.Array || steps.GetArrayLength() == 0)
        {
            problems.Add(new("steps", "Expected \"all-reversible\" or a non-empty list of sheet ids."));
            return null;
        }

        if (steps.GetArrayLength() > MaxItems)
        {
            problems.Add(new("steps", $"At most {MaxItems} items."));
            return null;
        }

        var items = new List<ReleaseItem>();
        var index = 0;
        foreach (var element in steps.EnumerateArray())
        {
            var path = $"steps[{index++}]";
            string? id = null;
            string? target = null;
            if (element.ValueKind == JsonValueKind.String)
            {
                id = element.GetString();
            }
            else if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject().Where(p => !KnownItem.Contains(p.Name)))
                {
                    problems.Add(new($"{path}.{property.Name}", $"Unknown property '{property.Name}'. Known: action, target."));
                }

                id = element.TryGetProperty("action", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
                if (element.TryGetProperty("target", out var t))
                {
                    target = t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                    if (target is null || string.IsNullOrWhiteSpace(target) || target.Length > MaxTarget || target.Any(char.IsControl))
                    {
                        problems.Add(new($"{path}.target", $"Expected an object id, UPN, address or name (1 to {MaxTarget} characters, no control characters)."));
                        target = null;
                    }
                }
            }
            else
            {
                problems.Add(new(path, "Expected a sheet id or {\"action\", \"target\"}."));
                continue;
            }

            if (!ActionId.TryParse(id, out var action) || !ActionCatalog.Contains(action))
            {
                problems.Add(new(element.ValueKind == JsonValueKind.Object ? $"{path}.action" : path, $"'{id}' is not a sheet action id (e.g. \"1.c\")."));
                continue;
            }

            items.Add(new ReleaseItem(action, target?.Trim()));
        }

        return new ReleaseSelection(false, items);
    }
}
