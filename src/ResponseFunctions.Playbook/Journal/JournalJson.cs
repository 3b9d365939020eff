using System.Text.Json;
using System.Text.Json.Serialization;

namespace ResponseFunctions.Playbook.Journal;

/// <summary>The journal's JSON: camelCase, UTC ISO-8601 timestamps, nulls left out. One entry per line in JSON Lines.</summary>
public static class JournalJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string ToLine(JournalEntry entry) =>
        JsonSerializer.Serialize(entry with { At = entry.At.ToUniversalTime() }, Options);

    public static JournalEntry FromLine(string line) =>
        JsonSerializer.Deserialize<JournalEntry>(line, Options) ?? throw new JsonException("Empty journal line.");
}
