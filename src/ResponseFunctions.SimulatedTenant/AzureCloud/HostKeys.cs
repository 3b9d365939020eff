using System.Text.Json.Nodes;

namespace ResponseFunctions.SimulatedTenant.AzureCloud;

/// <summary>Functions host keys through ARM: <c>POST {site}/host/default/listkeys</c> and <c>PUT {site}/host/default/{keyType}/{keyName}</c>.</summary>
/// <remarks>Source: azure-rest-api-specs Web WebApps.json WebApps_ListHostKeys (HostKeys: masterKey, functionKeys, systemKeys) and
/// WebApps_CreateOrUpdateHostSecret (KeyInfo {properties:{name, value}}; without a value the platform generates one).</remarks>
internal static class HostKeys
{
    private static readonly string[] KeyTypes = ["masterKey", "functionKeys", "systemKeys"];

    public static ArmReply List(SimAzure azure, string site)
    {
        if (azure.Find(site) is null)
        {
            return ArmReply.NotFound(site);
        }

        var keys = azure.Keys.Where(k => ArmPath.Same(k.ResourceId, site)).ToList();
        JsonObject Of(string kind) => new([.. keys.Where(k => k.Kind == kind).Select(k => KeyValuePair.Create(k.Name, (JsonNode?)k.Value))]);
        return new ArmReply(200, new JsonObject
        {
            ["masterKey"] = keys.FirstOrDefault(k => k.Kind == "masterKey")?.Value,
            ["functionKeys"] = Of("functionKeys"),
            ["systemKeys"] = Of("systemKeys"),
        });
    }

    public static ArmReply Put(SimAzure azure, string path, JsonNode body, DateTimeOffset now)
    {
        var marker = path.IndexOf("/host/default/", StringComparison.OrdinalIgnoreCase);
        var site = path[..marker];
        var rest = path[(marker + "/host/default/".Length)..].Split('/');
        if (azure.Find(site) is null)
        {
            return ArmReply.NotFound(site);
        }

        if (rest.Length != 2 || !KeyTypes.Contains(rest[0], StringComparer.OrdinalIgnoreCase))
        {
            return ArmReply.Error(400, "BadRequest", $"Key type must be one of {string.Join(", ", KeyTypes)}.");
        }

        var kind = KeyTypes.First(t => t.Equals(rest[0], StringComparison.OrdinalIgnoreCase));
        var value = body["properties"]?["value"]?.GetValue<string>() ?? ArmActions.NewKey(40);
        var key = azure.Keys.FirstOrDefault(k => ArmPath.Same(k.ResourceId, site) && k.Kind == kind && (kind == "masterKey" || ArmPath.Same(k.Name, rest[1])));
        var created = key is null;
        if (key is null)
        {
            key = new SimPlatformKey { ResourceId = site, Kind = kind, Name = rest[1] };
            azure.Keys.Add(key);
        }

        key.Value = value;
        key.CreationTime = now;
        return new ArmReply(created ? 201 : 200, new JsonObject
        {
            ["id"] = path, ["name"] = rest[1], ["properties"] = new JsonObject { ["name"] = rest[1], ["value"] = value },
        });
    }
}
