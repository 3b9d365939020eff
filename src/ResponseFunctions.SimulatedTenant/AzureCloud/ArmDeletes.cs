using System.Text.Json.Nodes;

namespace ResponseFunctions.SimulatedTenant.AzureCloud;

/// <summary>
/// DELETE of the simulated resources: only network security groups (the isolation NSG a release removes). An NSG still
/// associated with a NIC or a subnet cannot be deleted (detach it first); an absent one answers 204; otherwise the
/// deletion is a long-running operation (202) and the NSG is gone when it completes. Runs under the state lock.
/// </summary>
/// <remarks>Sources: azure-rest-api-specs networkSecurityGroup.json NetworkSecurityGroups_Delete (200, 202, 204; long-running,
/// final state via Location); learn.microsoft.com/azure/virtual-network/manage-network-security-group ("Delete a network
/// security group": an NSG associated to a subnet or network interface cannot be deleted; dissociate it first).</remarks>
internal static class ArmDeletes
{
    public static ArmReply Delete(SimAzure azure, string path, string origin, string version)
    {
        if (!ArmPath.TypeOf(path).Equals("Microsoft.Network/networkSecurityGroups", StringComparison.OrdinalIgnoreCase))
        {
            return ArmReply.Error(405, "MethodNotAllowed", $"DELETE is not simulated for {ArmPath.TypeOf(path)}.");
        }

        if (azure.Find(path) is not { } nsg)
        {
            return new ArmReply(204, null);
        }

        var properties = nsg["properties"];
        if (properties?["networkInterfaces"] is JsonArray { Count: > 0 } || properties?["subnets"] is JsonArray { Count: > 0 })
        {
            return ArmReply.Error(400, "InUseNetworkSecurityGroupCannotBeDeleted",
                $"Network security group {path} cannot be deleted because it is in use by one or more network interfaces or subnets.");
        }

        var headers = ArmAsync.Start(azure, origin, version, nsg["location"]?.GetValue<string>() ?? "",
            a => a.Resources.RemoveAll(r => ArmPath.Same(ArmPath.IdOf(r), path)));
        return new ArmReply(202, null, headers);
    }
}
