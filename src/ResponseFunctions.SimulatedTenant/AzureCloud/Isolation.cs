using System.Text.Json.Nodes;

namespace ResponseFunctions.SimulatedTenant.AzureCloud;

/// <summary>
/// When a resource stops producing alerts: a VM whose every NIC sits behind a deny-all NSG (or that is deallocated), a
/// stopped site, a storage account closed to public networks. The simulator notes the moment; alert feeds end there.
/// </summary>
internal static class Isolation
{
    public static void Record(SimAzure azure, DateTimeOffset now)
    {
        foreach (var id in azure.AlertFeeds.Select(f => f.ResourceId).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (!azure.IsolatedAt.ContainsKey(id) && IsIsolated(azure, id))
            {
                azure.IsolatedAt[id] = now;
            }
        }
    }

    public static bool IsIsolated(SimAzure azure, string id)
    {
        if (azure.Find(id) is not { } resource)
        {
            return true;
        }

        var properties = resource["properties"];
        return ArmPath.TypeOf(id).ToLowerInvariant() switch
        {
            "microsoft.compute/virtualmachines" => resource["_powerState"]?.GetValue<string>() is "deallocated" or "stopped"
                || (properties?["networkProfile"]?["networkInterfaces"]?.AsArray() ?? []).All(n => NicDeniesAll(azure, ArmPath.IdOf(n))),
            "microsoft.web/sites" or "microsoft.web/sites/slots" => properties?["state"]?.GetValue<string>() == "Stopped",
            "microsoft.storage/storageaccounts" => properties?["publicNetworkAccess"]?.GetValue<string>() == "Disabled"
                || properties?["networkAcls"]?["defaultAction"]?.GetValue<string>() == "Deny",
            _ => false,
        };
    }

    private static bool NicDeniesAll(SimAzure azure, string? nicId)
    {
        var nsgId = nicId is null ? null : azure.Find(nicId)?["properties"]?["networkSecurityGroup"]?["id"]?.GetValue<string>();
        var rules = (nsgId is null ? null : azure.Find(nsgId)?["properties"]?["securityRules"]?.AsArray()) ?? [];
        return DeniesAll(rules, "Inbound") && DeniesAll(rules, "Outbound");
    }

    /// <summary>A deny-everything rule that no broader allow rule precedes (lower priority number wins).</summary>
    private static bool DeniesAll(JsonArray rules, string direction)
    {
        var ordered = rules.Select(r => r!["properties"]!)
            .Where(p => p["direction"]?.GetValue<string>() == direction)
            .OrderBy(p => p["priority"]!.GetValue<int>())
            .ToList();
        var deny = ordered.FindIndex(p => p["access"]?.GetValue<string>() == "Deny" && IsAny(p["protocol"])
            && IsAny(p["sourceAddressPrefix"]) && IsAny(p["destinationAddressPrefix"]) && IsAny(p["destinationPortRange"]));
        return deny >= 0 && ordered.Take(deny).All(p => direction == "Inbound" && !IsAny(p["sourceAddressPrefix"]));
    }

    private static bool IsAny(JsonNode? value) => value?.GetValue<string>() == "*";
}
