using System.Text.Json.Nodes;

namespace ResponseFunctions.SimulatedTenant.AzureCloud;

/// <summary>GET, PUT and PATCH of the simulated resources; POST actions are in <see cref="ArmActions"/>. Runs under the state lock.</summary>
internal sealed class ArmHandlers(SimAzure azure, DateTimeOffset now, string origin, string version)
{
    private static readonly string[] ListedChildren = ["slots", "extensions"];

    public ArmReply Get(string path, string filter)
    {
        if (path.EndsWith("/providers/Microsoft.Authorization/roleAssignments", StringComparison.OrdinalIgnoreCase))
        {
            return RoleAssignments(filter);
        }

        if (path.EndsWith("/instanceView", StringComparison.OrdinalIgnoreCase) && azure.Find(path[..^"/instanceView".Length]) is { } vm)
        {
            var power = vm["_powerState"]?.GetValue<string>() ?? "running";
            return new ArmReply(200, new JsonObject
            {
                ["statuses"] = new JsonArray(
                    new JsonObject { ["code"] = "ProvisioningState/succeeded", ["level"] = "Info" },
                    new JsonObject { ["code"] = $"PowerState/{power}", ["level"] = "Info" }),
            });
        }

        if (azure.Find(path) is { } resource)
        {
            return new ArmReply(200, Public(resource));
        }

        var last = path[(path.LastIndexOf('/') + 1)..];
        if (ListedChildren.Contains(last, StringComparer.OrdinalIgnoreCase) && azure.Find(path[..path.LastIndexOf('/')]) is not null)
        {
            var prefix = path + "/";
            return new ArmReply(200, new JsonObject
            {
                ["value"] = new JsonArray([.. azure.Resources
                    .Where(r => ArmPath.IdOf(r)!.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && !ArmPath.IdOf(r)![prefix.Length..].Contains('/'))
                    .Select(Public)]),
            });
        }

        return ArmReply.NotFound(path);
    }

    public ArmReply Put(string path, JsonNode body)
    {
        var type = ArmPath.TypeOf(path);
        if (path.Contains("/host/default/", StringComparison.OrdinalIgnoreCase))
        {
            return HostKeys.Put(azure, path, body, now);
        }

        return type.ToLowerInvariant() switch
        {
            "microsoft.network/networksecuritygroups" => PutSecurityGroup(path, body),
            "microsoft.network/networkinterfaces" => PutNetworkInterface(path, body),
            "microsoft.compute/snapshots" => PutSnapshot(path, body),
            "microsoft.compute/virtualmachines/extensions" => VmAccess.PutExtension(azure, path, body, now, origin, version),
            "microsoft.web/sites/basicpublishingcredentialspolicies" or "microsoft.web/sites/slots/basicpublishingcredentialspolicies" => PutPublishingPolicy(path, body),
            _ => ArmReply.Error(405, "MethodNotAllowed", $"PUT is not simulated for {type}."),
        };
    }

    public ArmReply Patch(string path, JsonNode body)
    {
        if (azure.Find(path) is not { } resource)
        {
            return ArmReply.NotFound(path);
        }

        if (ArmPath.TypeOf(path).Equals("Microsoft.Storage/storageAccounts", StringComparison.OrdinalIgnoreCase)
            && StorageValidation.Problem(body) is { } problem)
        {
            return ArmReply.Error(400, problem.Code, problem.Message);
        }

        var properties = resource["properties"] as JsonObject ?? [];
        foreach (var (name, value) in body["properties"] as JsonObject ?? [])
        {
            properties[name] = value?.DeepClone();
        }

        resource["properties"] = properties;
        return new ArmReply(200, Public(resource));
    }

    public ArmReply Post(string path, JsonNode? body) => new ArmActions(azure, now, origin, version).Post(path, body);

    /// <summary>A copy without the simulator's own bookkeeping (properties starting with '_').</summary>
    public static JsonObject Public(JsonObject resource)
    {
        var copy = resource.DeepClone().AsObject();
        foreach (var key in copy.Select(p => p.Key).Where(k => k.StartsWith('_')).ToList())
        {
            copy.Remove(key);
        }

        return copy;
    }

    private ArmReply PutSecurityGroup(string path, JsonNode body)
    {
        var location = body["location"]?.GetValue<string>();
        if (string.IsNullOrEmpty(location))
        {
            return ArmReply.Error(400, "LocationRequired", "The location property is required for this definition.");
        }

        foreach (var rule in body["properties"]?["securityRules"]?.AsArray() ?? [])
        {
            var p = rule?["properties"];
            var priority = p?["priority"]?.GetValue<int>() ?? 0;
            if (priority is < 100 or > 4096 || p?["access"] is null || p["direction"] is null || p["protocol"] is null)
            {
                return ArmReply.Error(400, "SecurityRuleInvalidPriority",
                    $"Security rule {rule?["name"]} has invalid priority or missing access/direction/protocol. Value provided: {priority}. Allowed range 100-4096.");
            }
        }

        var existing = azure.Find(path);
        var created = existing is null;
        var resource = new JsonObject
        {
            ["id"] = path, ["name"] = path[(path.LastIndexOf('/') + 1)..], ["type"] = "Microsoft.Network/networkSecurityGroups", ["location"] = location,
            ["etag"] = $"W/\"{Guid.NewGuid()}\"", ["tags"] = body["tags"]?.DeepClone(),
            ["properties"] = new JsonObject
            {
                ["provisioningState"] = "Updating",
                ["securityRules"] = body["properties"]?["securityRules"]?.DeepClone() ?? new JsonArray(),
                ["networkInterfaces"] = existing?["properties"]?["networkInterfaces"]?.DeepClone() ?? new JsonArray(),
            },
        };
        azure.Resources.Remove(existing!);
        azure.Resources.Add(resource);
        var headers = ArmAsync.Start(azure, origin, version, location, a => a.Find(path)!["properties"]!["provisioningState"] = "Succeeded");
        return new ArmReply(created ? 201 : 200, Public(resource), headers);
    }

    private ArmReply PutNetworkInterface(string path, JsonNode body)
    {
        if (azure.Find(path) is not { } nic)
        {
            return ArmReply.Error(400, "InvalidRequestFormat", "Creating network interfaces is not simulated.");
        }

        if (body["properties"]?["ipConfigurations"] is not JsonArray { Count: > 0 })
        {
            return ArmReply.Error(400, "NetworkInterfaceMustHaveAtLeastOneIpConfiguration",
                $"Network interface {path} must have one or more IP configurations.");
        }

        if (!ArmPath.Same(body["location"]?.GetValue<string>(), nic["location"]?.GetValue<string>()))
        {
            return ArmReply.Error(400, "InvalidResourceLocation", "The resource's location cannot be changed.");
        }

        var nsgId = body["properties"]?["networkSecurityGroup"]?["id"]?.GetValue<string>();
        var nsg = nsgId is null ? null : azure.Find(nsgId);
        if (nsgId is not null && nsg is null)
        {
            return ArmReply.Error(400, "InvalidResourceReference", $"Resource {nsgId} referenced by resource {path} was not found.");
        }

        if (nsg is not null && !ArmPath.Same(nsg["location"]?.GetValue<string>(), nic["location"]?.GetValue<string>()))
        {
            return ArmReply.Error(400, "InvalidResourceReference",
                $"Network security group {nsgId} cannot be attached to {path}: they are in different regions.");
        }

        var previous = nic["properties"]?["networkSecurityGroup"]?["id"]?.GetValue<string>();
        var properties = body["properties"]!.DeepClone().AsObject();
        properties["provisioningState"] = "Succeeded";
        properties["macAddress"] = nic["properties"]?["macAddress"]?.DeepClone();
        properties["virtualMachine"] = nic["properties"]?["virtualMachine"]?.DeepClone();
        nic["properties"] = properties;
        nic["tags"] = body["tags"]?.DeepClone();
        nic["etag"] = $"W/\"{Guid.NewGuid()}\"";
        Link(previous, path, add: false);
        Link(nsgId, path, add: true);
        var headers = ArmAsync.Start(azure, origin, version, nic["location"]!.GetValue<string>(), _ => { });
        return new ArmReply(200, Public(nic), headers);
    }

    private void Link(string? nsgId, string nicId, bool add)
    {
        if (nsgId is null || azure.Find(nsgId)?["properties"] is not JsonObject properties)
        {
            return;
        }

        var list = properties["networkInterfaces"] as JsonArray ?? [];
        foreach (var item in list.Where(i => ArmPath.Same(ArmPath.IdOf(i), nicId)).ToList())
        {
            list.Remove(item);
        }

        if (add)
        {
            list.Add(new JsonObject { ["id"] = nicId });
        }

        properties["networkInterfaces"] = list;
    }

    private ArmReply PutSnapshot(string path, JsonNode body)
    {
        var source = body["properties"]?["creationData"]?["sourceResourceId"]?.GetValue<string>();
        var option = body["properties"]?["creationData"]?["createOption"]?.GetValue<string>();
        if (!string.Equals(option, "Copy", StringComparison.OrdinalIgnoreCase) || source is null || azure.Find(source) is not { } disk)
        {
            return ArmReply.Error(400, "InvalidParameter", "creationData.createOption must be Copy with the sourceResourceId of an existing managed disk.");
        }

        var location = body["location"]?.GetValue<string>() ?? "";
        var snapshot = new JsonObject
        {
            ["id"] = path, ["name"] = path[(path.LastIndexOf('/') + 1)..], ["type"] = "Microsoft.Compute/snapshots", ["location"] = location,
            ["tags"] = body["tags"]?.DeepClone(),
            ["properties"] = new JsonObject
            {
                ["creationData"] = body["properties"]!["creationData"]!.DeepClone(), ["diskSizeGB"] = disk["properties"]?["diskSizeGB"]?.DeepClone(),
                ["provisioningState"] = "Succeeded", ["timeCreated"] = now.UtcDateTime.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
                ["incremental"] = false,
            },
        };
        var headers = ArmAsync.Start(azure, origin, version, location, a =>
        {
            a.Resources.RemoveAll(r => ArmPath.Same(ArmPath.IdOf(r), path));
            a.Resources.Add(snapshot);
        });
        return new ArmReply(202, null, headers);
    }

    private ArmReply PutPublishingPolicy(string path, JsonNode body)
    {
        if (body["properties"]?["allow"] is not JsonValue allow || !allow.TryGetValue<bool>(out var allowed))
        {
            return ArmReply.Error(400, "BadRequest", "properties.allow (boolean) is required.");
        }

        var policy = azure.Find(path);
        if (policy is null)
        {
            policy = new JsonObject { ["id"] = path, ["name"] = path[(path.LastIndexOf('/') + 1)..], ["type"] = "Microsoft.Web/sites/basicPublishingCredentialsPolicies" };
            azure.Resources.Add(policy);
        }

        policy["properties"] = new JsonObject { ["allow"] = allowed };
        return new ArmReply(200, Public(policy));
    }

    private ArmReply RoleAssignments(string filter)
    {
        var principal = filter.StartsWith("assignedTo('", StringComparison.OrdinalIgnoreCase) && filter.EndsWith("')", StringComparison.Ordinal)
            ? filter["assignedTo('".Length..^2]
            : null;
        return new ArmReply(200, new JsonObject
        {
            ["value"] = new JsonArray([.. azure.RoleAssignments
                .Where(a => principal is null || ArmPath.Same(a["properties"]?["principalId"]?.GetValue<string>(), principal))
                .Select(a => a.DeepClone())]),
        });
    }
}
