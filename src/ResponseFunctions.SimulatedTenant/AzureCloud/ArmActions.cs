using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace ResponseFunctions.SimulatedTenant.AzureCloud;

/// <summary>
/// POST resource actions: VM deallocate/powerOff/start, site and slot stop/start, app settings list, Functions host keys,
/// storage listKeys/regenerateKey/revokeUserDelegationKeys. Runs under the state lock.
/// </summary>
/// <remarks>Sources (azure-rest-api-specs): Compute virtualMachine.json VirtualMachines_Deallocate, VirtualMachines_Start (202, async);
/// Web WebApps.json WebApps_Stop (200), WebApps_ListApplicationSettings, WebApps_ListHostKeys; Storage storage.json
/// StorageAccounts_ListKeys, _RegenerateKey (200, the new key list), _RevokeUserDelegationKeys (200).</remarks>
internal sealed class ArmActions(SimAzure azure, DateTimeOffset now, string origin, string version)
{
    public ArmReply Post(string path, JsonNode? body)
    {
        var slash = path.LastIndexOf('/');
        var action = path[(slash + 1)..].ToLowerInvariant();
        var target = path[..slash];
        if (action == "list" && target.EndsWith("/config/appsettings", StringComparison.OrdinalIgnoreCase))
        {
            return azure.Find(target) is { } settings ? new ArmReply(200, ArmHandlers.Public(settings)) : ArmReply.NotFound(target);
        }

        if (action == "listkeys" && target.EndsWith("/host/default", StringComparison.OrdinalIgnoreCase))
        {
            return HostKeys.List(azure, target[..^"/host/default".Length]);
        }

        if (azure.Find(target) is not { } resource)
        {
            return ArmReply.NotFound(target);
        }

        var type = ArmPath.TypeOf(target).ToLowerInvariant();
        return (type, action) switch
        {
            ("microsoft.compute/virtualmachines", "deallocate") => PowerChange(resource, "deallocated"),
            ("microsoft.compute/virtualmachines", "poweroff") => PowerChange(resource, "stopped"),
            ("microsoft.compute/virtualmachines", "start") => PowerChange(resource, "running"),
            ("microsoft.web/sites" or "microsoft.web/sites/slots", "stop") => SiteState(resource, "Stopped"),
            ("microsoft.web/sites" or "microsoft.web/sites/slots", "start") => SiteState(resource, "Running"),
            ("microsoft.storage/storageaccounts", "listkeys") => new ArmReply(200, StorageKeys(target)),
            ("microsoft.storage/storageaccounts", "regeneratekey") => Regenerate(target, body?["keyName"]?.GetValue<string>()),
            ("microsoft.storage/storageaccounts", "revokeuserdelegationkeys") => RevokeUserDelegationKeys(target),
            _ => ArmReply.Error(400, "InvalidAction", $"The action '{action}' is not supported on {type}."),
        };
    }

    /// <summary>A new random key, as the platform makes them (base64 of 64 random bytes for storage).</summary>
    public static string NewKey(int bytes = 64) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes));

    private ArmReply PowerChange(JsonObject vm, string state)
    {
        var id = ArmPath.IdOf(vm)!;
        var headers = ArmAsync.Start(azure, origin, version, vm["location"]?.GetValue<string>() ?? "", a => a.Find(id)!["_powerState"] = state);
        return new ArmReply(202, null, headers);
    }

    private static ArmReply SiteState(JsonObject site, string state)
    {
        var properties = site["properties"] as JsonObject ?? [];
        properties["state"] = state;
        site["properties"] = properties;
        return new ArmReply(200, null);
    }

    private JsonObject StorageKeys(string account) => new()
    {
        ["keys"] = new JsonArray([.. azure.Keys
            .Where(k => k.Kind == "storage" && ArmPath.Same(k.ResourceId, account))
            .OrderBy(k => k.Name, StringComparer.Ordinal)
            .Select(k => new JsonObject
            {
                ["keyName"] = k.Name, ["value"] = k.Value, ["permissions"] = "FULL",
                ["creationTime"] = k.CreationTime.UtcDateTime.ToString("o", CultureInfo.InvariantCulture),
            })]),
    };

    private ArmReply Regenerate(string account, string? keyName)
    {
        var key = azure.Keys.FirstOrDefault(k => k.Kind == "storage" && ArmPath.Same(k.ResourceId, account) && ArmPath.Same(k.Name, keyName));
        if (key is null)
        {
            return ArmReply.Error(400, "InvalidValuesForRequestParameters", $"Values for request parameters are invalid: keyName '{keyName}'.");
        }

        key.Value = NewKey();
        key.CreationTime = now;
        return new ArmReply(200, StorageKeys(account));
    }

    private ArmReply RevokeUserDelegationKeys(string account)
    {
        azure.UserDelegationKeyRevocations.Add(new SimRevocation(account, now));
        return new ArmReply(200, null);
    }
}
