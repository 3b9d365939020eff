using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.AzureResources;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

/// <summary>
/// 3.a for a VM: one deny-all NSG per region (inbound and outbound; inbound open only to the policy's forensic ranges) put on
/// each NIC, the NIC's previous NSG kept in the before-state and in a tag on the NIC; by policy, disk snapshots first, then
/// deallocation (which loses the volatile memory).
/// </summary>
/// <remarks>Network: PUT networkSecurityGroups, GET/PUT networkInterfaces (the whole NIC: PUT replaces). Compute: GET virtualMachines,
/// …/instanceView, POST …/deallocate; PUT snapshots (createOption Copy). Sources: azure-rest-api-specs networkSecurityGroup.json,
/// networkInterface.json, virtualMachine.json, DiskRP snapshot.json.</remarks>
public sealed class VirtualMachineIsolation(ArmResources arm, IOptions<ContainmentPolicy> policy) : IIsolationHandler
{
    public const string PreviousNsgTag = "responsefunctions-previous-nsg";

    private ResourceContainment Rules => policy.Value.Resources;

    public bool Handles(string resourceType) => ResourceTypes.Is(resourceType, ResourceTypes.VirtualMachine);

    public async Task<ActionPlan> PlanAsync(StepContext step, ArmResource vm, CancellationToken cancellationToken)
    {
        var nics = await NicsAsync(vm, cancellationToken);
        var power = await PowerStateAsync(vm.Id, cancellationToken);
        var evidence = new List<Evidence> { new("Power state", power), new("Network interfaces", nics.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        var changes = new List<PlannedChange>();
        foreach (var region in nics.Select(n => n.Location).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var nsgId = IsolationNsgId(vm.Id, region);
            if (!IsolationRules.Matches(await arm.ReadAsync(nsgId, cancellationToken), Rules.ForensicSourceRanges))
            {
                changes.Add(new UntypedChange("ensure-isolation-nsg", nsgId, $"Create or reset the deny-all NSG {ResourceTypes.NameOf(nsgId)} in {region}",
                    new Dictionary<string, string> { ["location"] = region }));
            }
        }

        foreach (var nic in nics)
        {
            evidence.Add(new Evidence($"NIC {ResourceTypes.NameOf(nic.Id)}", $"NSG {nic.NsgId ?? "none"}; public IPs: {(nic.PublicIps.Count == 0 ? "none" : string.Join(", ", nic.PublicIps))}"));
            var isolation = IsolationNsgId(vm.Id, nic.Location);
            if (!string.Equals(nic.NsgId, isolation, StringComparison.OrdinalIgnoreCase))
            {
                changes.Add(new UntypedChange("associate-isolation-nsg", nic.Id, $"Put NIC {ResourceTypes.NameOf(nic.Id)} behind {ResourceTypes.NameOf(isolation)} (was: {nic.NsgId ?? "no NSG"})",
                    new Dictionary<string, string> { ["isolationNsg"] = isolation, ["previousNsg"] = nic.NsgId ?? "none" }));
            }
        }

        var warnings = new List<string> { "An NSG does not cut flows already established: deallocate the VM for a hard stop (policy Resources.DeallocateVirtualMachines)." };
        var deallocate = Rules.DeallocateVirtualMachines && power != "deallocated";
        if (Rules.SnapshotDisks && (deallocate || changes.Count > 0))
        {
            foreach (var disk in Disks(vm).Where(d => !string.IsNullOrEmpty(d)))
            {
                var snapshot = SnapshotId(vm.Id, step.IncidentId, disk);
                if (await arm.FindAsync(snapshot, cancellationToken) is null)
                {
                    changes.Add(new UntypedChange("snapshot-disk", snapshot, $"Snapshot disk {ResourceTypes.NameOf(disk)} for the investigation",
                        new Dictionary<string, string> { ["disk"] = disk, ["location"] = vm.Location ?? "" }));
                }
            }
        }

        if (deallocate)
        {
            changes.Add(new UntypedChange("deallocate-vm", vm.Id, $"Stop and deallocate {vm.Name}"));
            warnings.Add("Deallocating loses the VM's volatile memory (running processes, keys in memory): capture it first if the investigation needs it.");
        }

        var before = Snapshot.Of(new { vm = vm.Id, power, nics = nics.Select(n => new { n.Id, previousNsg = n.NsgId, n.PublicIps }) });
        return changes.Count == 0
            ? Plans.NothingToDo(step, $"{vm.Name} is already isolated: every NIC is behind the deny-all NSG.", evidence, before)
            : Plans.Change(step, $"Isolate VM {vm.Name}: {changes.Count} change(s).", evidence, changes, warnings, before);
    }

    public async Task<ChangeOutcome> ApplyAsync(StepContext step, PlannedChange change, CancellationToken cancellationToken)
    {
        switch (change.Kind)
        {
            case "ensure-isolation-nsg":
                if (IsolationRules.Matches(await arm.ReadAsync(change.ResourceId, cancellationToken), Rules.ForensicSourceRanges))
                {
                    return ChangeOutcome.AlreadyDone;
                }

                await arm.PutAsync(change.ResourceId, IsolationRules.Body(change.Parameter("location"), Rules.ForensicSourceRanges), cancellationToken);
                return ChangeOutcome.Done;
            case "associate-isolation-nsg":
                var nic = (await arm.ReadAsync(change.ResourceId, cancellationToken))!.AsObject();
                var isolation = change.Parameter("isolationNsg");
                if (string.Equals(nic["properties"]?["networkSecurityGroup"]?["id"]?.GetValue<string>(), isolation, StringComparison.OrdinalIgnoreCase))
                {
                    return ChangeOutcome.AlreadyDone;
                }

                // PUT replaces the NIC: send it back whole, changing only its NSG (and recording the previous one on it).
                nic["properties"]!["networkSecurityGroup"] = new JsonObject { ["id"] = isolation };
                var tags = nic["tags"] as JsonObject ?? [];
                tags[PreviousNsgTag] = change.Parameter("previousNsg");
                nic["tags"] = tags;
                await arm.PutAsync(change.ResourceId, nic, cancellationToken);
                return ChangeOutcome.Done;
            case "snapshot-disk":
                if (await arm.FindAsync(change.ResourceId, cancellationToken) is not null)
                {
                    return ChangeOutcome.AlreadyDone;
                }

                await arm.PutAsync(change.ResourceId, new JsonObject
                {
                    ["location"] = change.Parameter("location"),
                    ["tags"] = new JsonObject { ["incident"] = step.IncidentId },
                    ["properties"] = new JsonObject { ["creationData"] = new JsonObject { ["createOption"] = "Copy", ["sourceResourceId"] = change.Parameter("disk") } },
                }, cancellationToken);
                return ChangeOutcome.Done;
            case "deallocate-vm":
                if (await PowerStateAsync(change.ResourceId, cancellationToken) == "deallocated")
                {
                    return ChangeOutcome.AlreadyDone;
                }

                await arm.PostAsync(change.ResourceId + "/deallocate", null, cancellationToken);
                return ChangeOutcome.Done;
            default:
                throw new InvalidOperationException($"3.a does not know change '{change.Kind}'.");
        }
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var vm = await arm.GetAsync(step.Target.Id, cancellationToken);
        var problems = new List<string>();
        foreach (var nic in await NicsAsync(vm, cancellationToken))
        {
            var expected = IsolationNsgId(vm.Id, nic.Location);
            if (!string.Equals(nic.NsgId, expected, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"NIC {ResourceTypes.NameOf(nic.Id)} is behind {nic.NsgId ?? "no NSG"}");
            }
            else if (!IsolationRules.Matches(await arm.ReadAsync(expected, cancellationToken), Rules.ForensicSourceRanges))
            {
                problems.Add($"{ResourceTypes.NameOf(expected)} no longer denies all traffic");
            }
        }

        if (plan.Changes.Any(c => c.Kind == "deallocate-vm") && await PowerStateAsync(vm.Id, cancellationToken) != "deallocated")
        {
            problems.Add("the VM is not deallocated");
        }

        return problems.Count == 0
            ? Results.Verified(step, "Every NIC is behind the deny-all NSG" + (plan.Changes.Any(c => c.Kind == "deallocate-vm") ? "; the VM is deallocated." : "."))
            : Results.Mismatch(step, string.Join("; ", problems) + ".");
    }

    public async Task<JsonElement> StateAsync(StepContext step, CancellationToken cancellationToken)
    {
        var vm = await arm.GetAsync(step.Target.Id, cancellationToken);
        var nics = await NicsAsync(vm, cancellationToken);
        return Snapshot.Of(new { vm = vm.Id, power = await PowerStateAsync(vm.Id, cancellationToken), nics = nics.Select(n => new { n.Id, nsg = n.NsgId }) });
    }

    private string IsolationNsgId(string vmId, string region) =>
        $"{(Rules.IsolationResourceGroup is { Length: > 0 } rg ? $"/subscriptions/{new Azure.Core.ResourceIdentifier(vmId).SubscriptionId}/resourceGroups/{rg}" : ResourceTypes.ResourceGroupScope(vmId))}"
        + $"/providers/Microsoft.Network/networkSecurityGroups/responsefunctions-isolation-{region.ToLowerInvariant()}";

    private static string SnapshotId(string vmId, string incidentId, string diskId)
    {
        var safe = new string([.. $"{incidentId}-{ResourceTypes.NameOf(diskId)}".Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-')]);
        return $"{ResourceTypes.ResourceGroupScope(vmId)}/providers/Microsoft.Compute/snapshots/{(safe.Length > 70 ? safe[..70] : safe)}";
    }

    private static IEnumerable<string> Disks(ArmResource vm)
    {
        var storage = vm.Properties["storageProfile"];
        yield return storage?["osDisk"]?["managedDisk"]?["id"]?.GetValue<string>() ?? "";
        foreach (var disk in storage?["dataDisks"]?.AsArray() ?? [])
        {
            yield return disk?["managedDisk"]?["id"]?.GetValue<string>() ?? "";
        }
    }

    private async Task<List<NicState>> NicsAsync(ArmResource vm, CancellationToken cancellationToken)
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

    private async Task<string> PowerStateAsync(string vmId, CancellationToken cancellationToken)
    {
        var view = await arm.ReadAsync(vmId + "/instanceView", cancellationToken);
        var code = (view?["statuses"]?.AsArray() ?? []).Select(s => s?["code"]?.GetValue<string>()).FirstOrDefault(c => c?.StartsWith("PowerState/", StringComparison.Ordinal) == true);
        return code?["PowerState/".Length..] ?? "unknown";
    }

    private sealed record NicState(string Id, string Location, string? NsgId, IReadOnlyList<string> PublicIps);
}
