using System.Text.Json;

namespace ResponseFunctions.Playbook.Intake.Sentinel;

/// <summary>
/// A Microsoft Sentinel incident as its Logic Apps trigger delivers it, or a single alert seen as an incident of one
/// alert. Only what triage reads; the payload itself is not kept.
/// </summary>
/// <param name="ArmId">The incident's ARM id (<c>object.id</c>); null for a single alert, which has no incident to comment on.</param>
/// <param name="Reference">The ARM id, or the alert's SystemAlertId.</param>
/// <param name="DeliveryId">Identifies this delivery (the trigger's eventUniqueId), so a retried delivery is recognised.</param>
public sealed record SentinelIncident(
    string? ArmId,
    string Reference,
    long? Number,
    string Title,
    string? Severity,
    string? Status,
    string? EventType,
    string? DeliveryId,
    string? Url,
    IReadOnlyList<SentinelAlert> Alerts,
    IReadOnlyList<SentinelEntity> Entities,
    IReadOnlyList<string> Tactics)
{
    /// <summary>How the incident was closed (properties.classification: TruePositive, BenignPositive, FalsePositive, Undetermined); null while open.</summary>
    public string? Classification { get; init; }
}

/// <summary>One alert of the incident: what triage matches rules on.</summary>
public sealed record SentinelAlert(string? DisplayName, string? AlertType, string? ProductName, IReadOnlyList<string> Tactics);

/// <summary>An entity: its kind (lower case, no dashes: "account", "ip", "cloudapplication"...) and its properties as sent.</summary>
public sealed record SentinelEntity(string Kind, JsonElement Properties)
{
    /// <summary>A string property, whatever the casing the payload used (incidents are camelCase, alert triggers PascalCase).</summary>
    public string? Get(string name)
    {
        if (Properties.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in Properties.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString() is { Length: > 0 } text ? text.Trim() : null,
                    JsonValueKind.Number => property.Value.GetRawText(),
                    _ => null,
                };
            }
        }

        return null;
    }

    /// <summary>How people would name it: the friendly name, else the kind.</summary>
    public string Describe() => $"{Kind} '{Get("friendlyName") ?? Get("displayName") ?? Get("name") ?? Get("accountName") ?? Get("address") ?? Get("url") ?? "?"}'";
}
