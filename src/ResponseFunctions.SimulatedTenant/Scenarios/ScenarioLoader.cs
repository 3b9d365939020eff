using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ResponseFunctions.SimulatedTenant;

/// <summary>
/// Loads embedded "Scenarios/&lt;name&gt;.tenant.json" files. A file is a <see cref="TenantModel"/> in JSON, plus an
/// optional "extends": "&lt;other scenario&gt;" whose top-level properties it overrides one by one, so variants
/// (e.g. the unlicensed tenant) stay a few lines long.
/// </summary>
internal static class ScenarioLoader
{
    private const string Prefix = "Scenarios.";
    private const string Suffix = ".tenant.json";

    public static IReadOnlyList<string> Names { get; } = typeof(ScenarioLoader).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(Suffix, StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^Suffix.Length])
        .Order(StringComparer.Ordinal)
        .ToList();

    public static TenantModel Load(string scenarioName)
    {
        var merged = LoadMerged(scenarioName, depth: 0);
        var model = merged.Deserialize<TenantModel>(StateJson.Options)
            ?? throw new InvalidOperationException($"Scenario '{scenarioName}' is empty.");
        FirstPartyServicePrincipals.EnsurePresent(model);
        return model;
    }

    private static JsonObject LoadMerged(string name, int depth)
    {
        if (depth > 8)
        {
            throw new InvalidOperationException($"Scenario '{name}': 'extends' chain is too deep (cycle?).");
        }

        var own = ReadResource(name);
        if (own["extends"] is not JsonValue baseName)
        {
            return own;
        }

        own.Remove("extends");
        var merged = LoadMerged(baseName.GetValue<string>(), depth + 1);
        foreach (var (key, value) in own.ToList())
        {
            merged[key] = value?.DeepClone();
        }

        return merged;
    }

    private static JsonObject ReadResource(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var resource = Prefix + name + Suffix;
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new ArgumentException(
                $"Unknown scenario '{name}'. Known scenarios: {string.Join(", ", Names)}.", nameof(name));
        return JsonNode.Parse(stream, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
            ?? throw new InvalidOperationException($"Scenario '{name}' must be a JSON object.");
    }
}
