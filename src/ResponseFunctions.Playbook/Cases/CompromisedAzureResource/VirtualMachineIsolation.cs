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

    private readonly VirtualMachineReads _reads = new(arm);

    private ResourceContainment Rules => policy.Value.Resources;

    public bool Handles(string resourceType) => ResourceTypes.Is(resourceType, ResourceTypes.VirtualMachine);

    public async Task<ActionPlan> PlanAsync(StepContext step, ArmResource vm, CancellationToken cancellationToken)
    {
        var nics = await _reads.NicsAsync(vm, cancellationToken);
        var power = await _reads.PowerStateAsync(vm.Id, cancellationToken);
        var evidence = new List<Evidence> { new("Power state", power), new("Network interfaces", nics.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        var changes = new List<PlannedChange>();
        foreach (var region in nics.Select(n => n.Location).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var nsgId = IsolationNsgId(vm.Id, region);
            if (!IsolationRules.Matches(await arm.ReadAsync(nsgId, cancellationToken), Rules.ForensicSourceRanges))
            {
                changes.Add(new EnsureIsolationNsg(nsgId, $"Create or reset the deny-all NSG {ResourceTypes.NameOf(nsgId)} in {region}", region));
            }
        }

        foreach (var nic in nics)
        {
            evidence.Add(new Evidence($"NIC {ResourceTypes.NameOf(nic.Id)}", $"NSG {nic.NsgId ?? "none"}; public IPs: {(nic.PublicIps.Count == 0 ? "none" : string.Join(", ", nic.PublicIps))}"));
            var isolation = IsolationNsgId(vm.Id, nic.Location);
            if (!string.Equals(nic.NsgId, isolation, StringComparison.OrdinalIgnoreCase))
            {
                changes.Add(new AssociateIsolationNsg(nic.Id, $"Put NIC {ResourceTypes.NameOf(nic.Id)} behind {ResourceTypes.NameOf(isolation)} (was: {nic.NsgId ?? "no NSG"})",
                    isolation, nic.NsgId));
            }
        }

        var warnings = new List<string> { "An NSG does not cut flows already established: deallocate the VM for a hard stop (policy Resources.DeallocateVirtualMachines)." };
        var deallocate = Rules.DeallocateVirtualMachines && power != "deallocated";
        if (Rules.SnapshotDisks && (deallocate || changes.Count > 0))
        {
            foreach (var disk in VirtualMachineReads.Disks(vm).Where(d => !string.IsNullOrEmpty(d)))
            {
                var snapshot = SnapshotId(vm.Id, step.IncidentId, disk);
                if (await arm.FindAsync(snapshot, cancellationToken) is null)
                {
                    changes.Add(new SnapshotDisk(snapshot, $"Snapshot disk {ResourceTypes.NameOf(disk)} for the investigation", disk, vm.Location ?? ""));
                }
            }
        }

        if (deallocate)
        {
            changes.Add(new DeallocateVm(vm.Id, $"Stop and deallocate {vm.Name}"));
            warnings.Add("Deallocating loses the VM's volatile memory (running processes, keys in memory): capture it first if the investigation needs it.");
        }

        var before = Snapshot.Of(new { vm = vm.Id, power, nics = nics.Select(n => new { n.Id, previousNsg = n.NsgId, n.PublicIps }) });
        return changes.Count == 0
            ? Plans.NothingToDo(step, $"{vm.Name} is already isolated: every NIC is behind the deny-all NSG.", evidence, before)
            : Plans.Change(step, $"Isolate VM {vm.Name}: {changes.Count} change(s).", evidence, changes, warnings, before);
    }

    public Task<ChangeOutcome> ApplyAsync(StepContext step, PlannedChange change, CancellationToken cancellationToken) => change switch
    {
        EnsureIsolationNsg nsg => EnsureNsgAsync(nsg, cancellationToken),
        AssociateIsolationNsg associate => AssociateAsync(associate, cancellationToken),
        SnapshotDisk snapshot => SnapshotAsync(step, snapshot, cancellationToken),
        DeallocateVm deallocate => DeallocateAsync(deallocate, cancellationToken),
        _ => throw new InvalidOperationException($"3.a does not make '{change.Kind}' changes on a VM."),
    };

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var vm = await arm.GetAsync(step.Target.Id, cancellationToken);
        var problems = new List<string>();
        foreach (var nic in await _reads.NicsAsync(vm, cancellationToken))
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

        if (plan.Changes.OfType<DeallocateVm>().Any() && await _reads.PowerStateAsync(vm.Id, cancellationToken) != "deallocated")
        {
            problems.Add("the VM is not deallocated");
        }

        return problems.Count == 0
            ? Results.Verified(step, "Every NIC is behind the deny-all NSG" + (plan.Changes.OfType<DeallocateVm>().Any() ? "; the VM is deallocated." : "."))
            : Results.Mismatch(step, string.Join("; ", problems) + ".");
    }

    public async Task<JsonElement> StateAsync(StepContext step, CancellationToken cancellationToken)
    {
        var vm = await arm.GetAsync(step.Target.Id, cancellationToken);
        var nics = await _reads.NicsAsync(vm, cancellationToken);
        return Snapshot.Of(new { vm = vm.Id, power = await _reads.PowerStateAsync(vm.Id, cancellationToken), nics = nics.Select(n => new { n.Id, nsg = n.NsgId }) });
    }

    private async Task<ChangeOutcome> EnsureNsgAsync(EnsureIsolationNsg change, CancellationToken cancellationToken)
    {
        if (IsolationRules.Matches(await arm.ReadAsync(change.ResourceId, cancellationToken), Rules.ForensicSourceRanges))
        {
            return ChangeOutcome.AlreadyDone;
        }

        await arm.PutAsync(change.ResourceId, IsolationRules.Body(change.Location, Rules.ForensicSourceRanges), cancellationToken);
        return ChangeOutcome.Done;
    }

    private async Task<ChangeOutcome> AssociateAsync(AssociateIsolationNsg change, CancellationToken cancellationToken)
    {
        var nic = (await arm.ReadAsync(change.ResourceId, cancellationToken))!.AsObject();
        if (string.Equals(nic["properties"]?["networkSecurityGroup"]?["id"]?.GetValue<string>(), change.IsolationNsg, StringComparison.OrdinalIgnoreCase))
        {
            return ChangeOutcome.AlreadyDone;
        }

        // PUT replaces the NIC: send it back whole, changing only its NSG (and recording the previous one on it).
        nic["properties"]!["networkSecurityGroup"] = new JsonObject { ["id"] = change.IsolationNsg };
        var tags = nic["tags"] as JsonObject ?? [];
        tags[PreviousNsgTag] = change.PreviousNsg ?? "none";
        nic["tags"] = tags;
        await arm.PutAsync(change.ResourceId, nic, cancellationToken);
        return ChangeOutcome.Done;
    }

    private async Task<ChangeOutcome> SnapshotAsync(StepContext step, SnapshotDisk change, CancellationToken cancellationToken)
    {
        if (await arm.FindAsync(change.ResourceId, cancellationToken) is not null)
        {
            return ChangeOutcome.AlreadyDone;
        }

        await arm.PutAsync(change.ResourceId, new JsonObject
        {
            ["location"] = change.Location,
            ["tags"] = new JsonObject { ["incident"] = step.IncidentId },
            ["properties"] = new JsonObject { ["creationData"] = new JsonObject { ["createOption"] = "Copy", ["sourceResourceId"] = change.Disk } },
        }, cancellationToken);
        return ChangeOutcome.Done;
    }

    private async Task<ChangeOutcome> DeallocateAsync(DeallocateVm change, CancellationToken cancellationToken)
    {
        if (await _reads.PowerStateAsync(change.ResourceId, cancellationToken) == "deallocated")
        {
            return ChangeOutcome.AlreadyDone;
        }

        await arm.PostAsync(change.ResourceId + "/deallocate", null, cancellationToken);
        return ChangeOutcome.Done;
    }

    private string IsolationNsgId(string vmId, string region) =>
        $"{(Rules.IsolationResourceGroup is { Length: > 0 } rg ? $"/subscriptions/{new Azure.Core.ResourceIdentifier(vmId).SubscriptionId}/resourceGroups/{rg}" : ResourceTypes.ResourceGroupScope(vmId))}"
        + $"/providers/Microsoft.Network/networkSecurityGroups/responsefunctions-isolation-{region.ToLowerInvariant()}";

    private static string SnapshotId(string vmId, string incidentId, string diskId)
    {
        var safe = new string([.. $"{incidentId}-{ResourceTypes.NameOf(diskId)}".Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-')]);
        return $"{ResourceTypes.ResourceGroupScope(vmId)}/providers/Microsoft.Compute/snapshots/{(safe.Length > 70 ? safe[..70] : safe)}";
    }
}
