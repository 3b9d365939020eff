using Azure.Core;

namespace ResponseFunctions.Playbook.AzureResources;

/// <summary>
/// The api-version used for each resource type, all stable versions of Azure's REST specifications
/// (github.com/Azure/azure-rest-api-specs, folder specification/…/stable/{version}). One table, so ArmClient's
/// GenericResource and the raw requests never disagree.
/// </summary>
public static class ArmApiVersions
{
    // Source: specification/compute/resource-manager/Microsoft.Compute/ComputeRP/stable/2024-07-01 (virtualMachine.json: VirtualMachines_Get, _Deallocate, extensions)
    public const string Compute = "2024-07-01";

    // Source: specification/compute/resource-manager/Microsoft.Compute/DiskRP/stable/2024-03-02 (snapshot.json: Snapshots_CreateOrUpdate)
    public const string Disks = "2024-03-02";

    // Source: specification/network/resource-manager/Microsoft.Network/stable/2024-05-01 (networkInterface.json, networkSecurityGroup.json)
    public const string Network = "2024-05-01";

    // Source: specification/web/resource-manager/Microsoft.Web/AppService/stable/2024-04-01/WebApps.json (WebApps_Stop, WebApps_UpdateConfiguration, WebApps_ListHostKeys)
    public const string Web = "2024-04-01";

    // Source: specification/storage/resource-manager/Microsoft.Storage/stable/2025-01-01/storage.json (StorageAccounts_Update, _ListKeys, _RegenerateKey, _RevokeUserDelegationKeys)
    public const string Storage = "2025-01-01";

    // Source: specification/authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/authorization-RoleAssignmentsCalls.json (RoleAssignments_ListForSubscription, $filter=assignedTo)
    public const string Authorization = "2022-04-01";

    /// <summary>The api-version for a resource type (or one of its child paths), by provider namespace.</summary>
    public static string For(ResourceType type) => For(type.Namespace, type.Type);

    public static string For(string providerNamespace, string type) => providerNamespace.ToLowerInvariant() switch
    {
        "microsoft.compute" when type.StartsWith("snapshots", StringComparison.OrdinalIgnoreCase) || type.StartsWith("disks", StringComparison.OrdinalIgnoreCase) => Disks,
        "microsoft.compute" => Compute,
        "microsoft.network" => Network,
        "microsoft.web" => Web,
        "microsoft.storage" => Storage,
        "microsoft.authorization" => Authorization,
        _ => throw new NotSupportedException($"No api-version is pinned for {providerNamespace}/{type}."),
    };

    /// <summary>The types GenericResource reads, pinned so ArmClient never asks the provider for its versions.</summary>
    public static IEnumerable<(ResourceType Type, string Version)> Pinned { get; } =
    [
        (new ResourceType("Microsoft.Compute/virtualMachines"), Compute),
        (new ResourceType("Microsoft.Compute/snapshots"), Disks),
        (new ResourceType("Microsoft.Network/networkInterfaces"), Network),
        (new ResourceType("Microsoft.Network/networkSecurityGroups"), Network),
        (new ResourceType("Microsoft.Web/sites"), Web),
        (new ResourceType("Microsoft.Web/sites/slots"), Web),
        (new ResourceType("Microsoft.Storage/storageAccounts"), Storage),
    ];
}
