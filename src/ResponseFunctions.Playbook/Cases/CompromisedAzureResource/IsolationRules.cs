using System.Text.Json.Nodes;

namespace ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

/// <summary>
/// The isolation NSG's rules: inbound open only to the forensic ranges (priority 100+), then deny everything inbound and
/// outbound (priority 4000, above the default rules at 65000). The NSG holds nothing else, so "matches" means exactly these.
/// </summary>
/// <remarks>Source: learn.microsoft.com/azure/virtual-network/network-security-groups-overview (priorities 100–4096, default rules 65000+).</remarks>
public static class IsolationRules
{
    public const int DenyPriority = 4000;

    public static JsonObject Body(string location, IReadOnlyList<string> forensicRanges) => new()
    {
        ["location"] = location,
        ["tags"] = new JsonObject { ["responsefunctions"] = "isolation" },
        ["properties"] = new JsonObject { ["securityRules"] = new JsonArray([.. Rules(forensicRanges).Select(r => (JsonNode)r)]) },
    };

    public static bool Matches(JsonNode? nsg, IReadOnlyList<string> forensicRanges)
    {
        if (nsg?["properties"]?["securityRules"] is not JsonArray actual)
        {
            return false;
        }

        var expected = Rules(forensicRanges).Select(Key).Order(StringComparer.Ordinal);
        return expected.SequenceEqual(actual.Select(r => Key(r!.AsObject())).Order(StringComparer.Ordinal));
    }

    private static IEnumerable<JsonObject> Rules(IReadOnlyList<string> forensicRanges)
    {
        for (var i = 0; i < forensicRanges.Count; i++)
        {
            yield return Rule($"responsefunctions-allow-forensics-{i + 1}", 100 + i, "Inbound", "Allow", forensicRanges[i]);
        }

        yield return Rule("responsefunctions-deny-all-inbound", DenyPriority, "Inbound", "Deny", "*");
        yield return Rule("responsefunctions-deny-all-outbound", DenyPriority, "Outbound", "Deny", "*");
    }

    private static JsonObject Rule(string name, int priority, string direction, string access, string source) => new()
    {
        ["name"] = name,
        ["properties"] = new JsonObject
        {
            ["priority"] = priority, ["direction"] = direction, ["access"] = access, ["protocol"] = "*",
            ["sourceAddressPrefix"] = source, ["sourcePortRange"] = "*", ["destinationAddressPrefix"] = "*", ["destinationPortRange"] = "*",
        },
    };

    private static string Key(JsonObject rule)
    {
        var p = rule["properties"];
        return string.Join('|', rule["name"], p?["priority"], p?["direction"], p?["access"], p?["protocol"], p?["sourceAddressPrefix"], p?["destinationAddressPrefix"], p?["destinationPortRange"]);
    }
}
