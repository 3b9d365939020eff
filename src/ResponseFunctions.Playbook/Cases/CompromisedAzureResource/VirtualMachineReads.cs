using ResponseFunctions.Playbook.AzureResources;

namespace ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

/// <summary>One NIC of a VM as 3.a reads it: region, NSG (null: none) and the names of its public IPs.</summary>
public sealed record NicState(string Id, string Location, string? NsgId, IReadOnlyList<string> PublicIps);

/// <summary>
/// What 3.a reads of a VM through ARM: its NICs, its power state and its managed disks. Read-only; the isolation handler
/// plans, applies and verifies from these.
/// </summary>
/// <remarks>Network: GET networkInterfaces. Compute: GET …/instanceView (statuses PowerState/…). Sources: azure-rest-api-specs
/// networkInterface.json, virtualMachine.json.</remarks>
public sealed class VirtualMachineReads(ArmResources arm)
{
    public async Task<List<NicState>> NicsAsync(ArmResource vm, CancellationToken cancellationToken)
    {
        var nics = new List<NicState>();
        foreach (var reference in vm.Properties["networkProfile"]?["networkInterfaces"]?.AsArray() ?? [])
        {
            var id = reference?["id"]?.GetValue<string>();
            if (id is not null && await arm.ReadAsync(id, cancellationToken) is { } nic)
            {
                nics.Add(new NicState(id, nic["location"]?.GetValue<string>() ?? vm.Location ?? "",
                    nic["properties"]?["networkSecurityGroup"]?["id"]?.GetValue<string>(),
                    [.. (nic["properties"]?["ipConfigurations"]?.AsArray() ?? []).Select(c => c?["properties"]?["publicIPAddress"]?["id"]?.GetValue<string>())
                        .OfType<string>().Select(ResourceTypes.NameOf)]));
            }
        }

        return nics;
    }

    /// <summary>"running", "deallocated"… (the PowerState/ status of the instance view), or "unknown".</summary>
    public async Task<string> PowerStateAsync(string vmId, CancellationToken cancellationToken)
    {
        var view = await arm.ReadAsync(vmId + "/instanceView", cancellationToken);
        var code = (view?["statuses"]?.AsArray() ?? []).Select(s => s?["code"]?.GetValue<string>()).FirstOrDefault(c => c?.StartsWith("PowerState/", StringComparison.Ordinal) == true);
        return code?["PowerState/".Length..] ?? "unknown";
    }

    /// <summary>The managed disk ids of the OS disk and the data disks (empty for an unmanaged one).</summary>
    public static IEnumerable<string> Disks(ArmResource vm)
    {
        var storage = vm.Properties["storageProfile"];
        yield return storage?["osDisk"]?["managedDisk"]?["id"]?.GetValue<string>() ?? "";
        foreach (var disk in storage?["dataDisks"]?.AsArray() ?? [])
        {
            yield return disk?["managedDisk"]?["id"]?.GetValue<string>() ?? "";
        }
    }
}
