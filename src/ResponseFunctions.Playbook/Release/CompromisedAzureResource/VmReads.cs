using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.AzureResources;

namespace ResponseFunctions.Playbook.Release.CompromisedAzureResource;

/// <summary>What the VM release reads of ARM's answers: a NIC's NSG, an NSG's associations, a VM's power state.</summary>
internal static class VmReads
{
    public static string? NsgOf(JsonNode? nic, out bool exists)
    {
        exists = nic is not null;
        return nic?["properties"]?["networkSecurityGroup"]?["id"]?.GetValue<string>();
    }

    /// <summary>The NICs and subnets an NSG is associated with (ARM lists them on the NSG).</summary>
    public static IEnumerable<string> Users(JsonNode nsg) =>
        new[] { "networkInterfaces", "subnets" }.SelectMany(k => nsg["properties"]?[k] as JsonArray ?? [])
            .Select(r => r?["id"]?.GetValue<string>()).OfType<string>();

    /// <summary>"running", "deallocated"… from the VM's instance view (the PowerState/ status).</summary>
    public static async Task<string> PowerStateAsync(ArmResources arm, string vmId, CancellationToken cancellationToken)
    {
        var view = await arm.ReadAsync(vmId + "/instanceView", cancellationToken);
        var code = (view?["statuses"]?.AsArray() ?? []).Select(s => s?["code"]?.GetValue<string>()).FirstOrDefault(c => c?.StartsWith("PowerState/", StringComparison.Ordinal) == true);
        return code?["PowerState/".Length..] ?? "unknown";
    }
}
