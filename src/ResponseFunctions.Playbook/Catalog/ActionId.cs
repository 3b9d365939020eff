using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace ResponseFunctions.Playbook.Catalog;

/// <summary>
/// The identifier of a containment action as the sheet writes it: case number, dot, letter ("1.a", "5.f").
/// Actions the sheet does not list carry a word instead of a letter ("1.risk").
/// </summary>
[JsonConverter(typeof(ActionIdJsonConverter))]
public readonly partial record struct ActionId
{
    private ActionId(string value) => Value = value;

    public string Value { get; }

    public int CaseNumber => Value[0] - '0';

    /// <summary>"1a" for "1.a": the form used in file names, request ids and URLs.</summary>
    public string Compact => Value.Replace(".", string.Empty, StringComparison.Ordinal);

    public static ActionId Parse(string value) =>
        TryParse(value, out var id) ? id : throw new FormatException($"'{value}' is not a sheet action id such as '1.a'.");

    public static bool TryParse([NotNullWhen(true)] string? value, out ActionId id)
    {
        id = default;
        if (value is null || !Pattern().IsMatch(value))
        {
            return false;
        }

        id = new ActionId(value.ToLowerInvariant());
        return true;
    }

    public override string ToString() => Value;

    [GeneratedRegex("^[1-5]\\.([a-z]|[a-z]{2,12})\\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

internal sealed class ActionIdJsonConverter : JsonConverter<ActionId>
{
    public override ActionId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ActionId.TryParse(reader.GetString(), out var id) ? id : throw new JsonException("Expected a sheet action id such as '1.a'.");

    public override void Write(Utf8JsonWriter writer, ActionId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
