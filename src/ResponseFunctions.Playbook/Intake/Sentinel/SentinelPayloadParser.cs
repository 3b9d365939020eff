using System.Text.Json;
using System.Text.RegularExpressions;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Intake.Sentinel;

/// <summary>
/// Reads what the relay Logic App forwards unchanged: the body of the "Microsoft Sentinel incident" trigger
/// (<c>object.properties</c> with title, severity, relatedEntities, alerts; <c>object.id</c> the ARM id), an incident
/// resource as the Sentinel API returns it, or the body of the alert trigger (one SecurityAlert, PascalCase).
/// </summary>
public static partial class SentinelPayloadParser
{
    public static SentinelIncident Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowDuplicateProperties = false });
            return Parse(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new SentinelPayloadException($"Not JSON: {ex.Message}");
        }
    }

    public static SentinelIncident Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new SentinelPayloadException("Expected a JSON object: the Sentinel incident trigger body or an alert.");
        }

        if (Property(root, "object") is { ValueKind: JsonValueKind.Object } incident)
        {
            return ParseIncident(incident, Text(root, "eventUniqueId"), Text(root, "objectEventType"));
        }

        if (Property(root, "properties") is { ValueKind: JsonValueKind.Object } && Text(root, "id") is { } id
            && id.Contains("/Microsoft.SecurityInsights/Incidents/", StringComparison.OrdinalIgnoreCase))
        {
            return ParseIncident(root, deliveryId: null, eventType: null);
        }

        if (Text(root, "SystemAlertId") is not null || Text(root, "AlertDisplayName") is not null)
        {
            return ParseAlert(root);
        }

        throw new SentinelPayloadException(
            "Neither a Sentinel incident (object.properties, object.id) nor a Sentinel alert (SystemAlertId, AlertDisplayName).");
    }

    private static SentinelIncident ParseIncident(JsonElement incident, string? deliveryId, string? eventType)
    {
        var armId = Text(incident, "id") ?? throw new SentinelPayloadException("object.id (the incident's ARM id) is missing.");
        // The id becomes the path of the comment PUT: only the exact ARM shape passes, no "..", query or fragment.
        // ASCII only: case-insensitive matching would fold look-alikes (the Kelvin sign matches 'k' in "workspaces").
        if (!armId.All(char.IsAscii) || !IncidentArmId().IsMatch(armId) || armId.Split('/').Any(segment => segment is "." or ".."))
        {
            throw new SentinelPayloadException($"object.id is not a Sentinel incident ARM id: '{armId}'.");
        }

        var properties = Property(incident, "properties") ?? throw new SentinelPayloadException("object.properties is missing.");
        var alerts = Array(properties, "alerts")
            .Select(a => Property(a, "properties") is { ValueKind: JsonValueKind.Object } p ? p : a)
            .Select(p => new SentinelAlert(Text(p, "alertDisplayName"), Text(p, "alertType"), Text(p, "productName"), Strings(p, "tactics")))
            .ToList();
        var additional = Property(properties, "additionalData");
        var tactics = additional is { ValueKind: JsonValueKind.Object } data ? Strings(data, "tactics") : [];
        var entities = Array(properties, "relatedEntities").Select(e => Entity(Text(e, "kind"), Property(e, "properties"))).OfType<SentinelEntity>().ToList();
        long? number = Property(properties, "incidentNumber") is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out var value) ? value : null;

        return new SentinelIncident(
            armId, armId, number, Text(properties, "title") ?? "(untitled incident)", Text(properties, "severity"), Text(properties, "status"),
            eventType, deliveryId, Text(properties, "incidentUrl"), alerts, entities,
            [.. tactics.Concat(alerts.SelectMany(a => a.Tactics)).Distinct(StringComparer.OrdinalIgnoreCase)])
        {
            Classification = Text(properties, "classification"),
        };
    }

    private static SentinelIncident ParseAlert(JsonElement alert)
    {
        var alertId = Text(alert, "SystemAlertId") ?? Text(alert, "AlertDisplayName")!;
        var tactics = Text(alert, "Tactics") is { } text
            ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : Strings(alert, "Tactics").ToArray();

        // The alert trigger sends Entities as an array; the SecurityAlert table (and some relays) as a JSON string.
        var entityElements = Property(alert, "Entities") switch
        {
            { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Select(e => e.Clone()).ToList(),
            { ValueKind: JsonValueKind.String } encoded => ParseEmbeddedArray(encoded.GetString()!),
            _ => [],
        };
        var entities = entityElements.Select(e => Entity(Text(e, "Type") ?? Text(e, "kind"), e)).OfType<SentinelEntity>().ToList();

        return new SentinelIncident(
            null, alertId, null, Text(alert, "AlertDisplayName") ?? "(untitled alert)", Text(alert, "Severity"), Text(alert, "Status"),
            "Alert", alertId, Text(alert, "AlertLink"),
            [new SentinelAlert(Text(alert, "AlertDisplayName"), Text(alert, "AlertType"), Text(alert, "ProductName"), tactics)],
            entities, tactics);
    }

    /// <summary>Maps a Sentinel severity to the playbook's; unknown values are left out rather than guessed.</summary>
    public static IncidentSeverity? Severity(string? severity) =>
        Enum.TryParse<IncidentSeverity>(severity, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(severity, out _) ? parsed : null;

    private static List<JsonElement> ParseEmbeddedArray(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false });
            return document.RootElement.ValueKind == JsonValueKind.Array ? [.. document.RootElement.EnumerateArray().Select(e => e.Clone())] : [];
        }
        catch (JsonException ex)
        {
            throw new SentinelPayloadException($"Entities is a string but not a JSON array: {ex.Message}");
        }
    }

    private static SentinelEntity? Entity(string? kind, JsonElement? properties) =>
        kind is null || properties is not { ValueKind: JsonValueKind.Object } p
            ? null
            : new SentinelEntity(kind.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant(), p.Clone());

    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static string? Text(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value && value.GetString() is { Length: > 0 } text ? text : null;

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    private static List<string> Strings(JsonElement element, string name) =>
        [.. Array(element, name).Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).Where(s => s.Length > 0)];

    [GeneratedRegex(
        "^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[-A-Za-z0-9_.()]{1,90}/providers/Microsoft\\.OperationalInsights/workspaces/[-A-Za-z0-9_]{1,63}"
        + "/providers/Microsoft\\.SecurityInsights/Incidents/[-A-Za-z0-9_]{1,128}\\z",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IncidentArmId();
}

/// <summary>The payload is not a Sentinel incident or alert the intake can read; the message says what is missing.</summary>
public sealed class SentinelPayloadException(string message) : Exception(message);
