using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.AzureResources;
using ResponseFunctions.Playbook.Cases.CompromisedAzureResource;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Release.CompromisedAzureResource;

/// <summary>
/// 3.a's release for a VM: each NIC the containment put behind the deny-all NSG goes back behind the NSG it had (or none),
/// if it is still behind the isolation NSG; the isolation NSG the containment created is deleted once no NIC or subnet
/// uses it and its rules are still the isolation's; a VM the containment deallocated is started. The disk snapshots stay
/// (they are the investigation's evidence).
/// </summary>
/// <remarks>Network: GET/PUT networkInterfaces (the whole NIC: PUT replaces), GET/DELETE networkSecurityGroups. Compute:
/// GET …/instanceView, POST …/start. Sources: azure-rest-api-specs networkInterface.json, networkSecurityGroup.json
/// (NetworkSecurityGroups_Delete), virtualMachine.json (VirtualMachines_Start); learn.microsoft.com/azure/virtual-network/manage-network-security-group
/// (an NSG associated with a NIC or subnet cannot be deleted).</remarks>
public sealed class VirtualMachineRelease(ArmResources arm, IEnumerable<IIsolationHandler> handlers, IOptions<ContainmentPolicy> policy) : IIsolationRelease
{
    public bool Handles(string resourceType) => ResourceTypes.Is(resourceType, ResourceTypes.VirtualMachine);

    public async Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken)
    {
        var done = original.Done.ToList();
        var evidence = new List<Evidence> { new("Containment entry", original.EntryId) };
        var changes = new List<PlannedChange>();
        var warnings = new List<string>();
        foreach (var moved in done.Where(c => c.Kind == "associate-isolation-nsg"))
        {
            var isolation = moved.Parameter("isolationNsg");
            var previous = PreviousOf(moved);
            var name = ResourceTypes.NameOf(moved.ResourceId);
            var now = VmReads.NsgOf(await arm.ReadAsync(moved.ResourceId, cancellationToken), out var exists);
            evidence.Add(new Evidence($"NIC {name}", $"before the containment: {Name(previous)}; left behind {Name(isolation)}; now: {(exists ? Name(now) : "deleted")}"));
            if (!exists)
            {
                warnings.Add($"NIC {name} no longer exists: nothing to restore.");
            }
            else if (!Same(now, isolation))
            {
                warnings.Add($"{IsolationRelease.ChangedSince}NIC {name} is behind {Name(now)} now, not the isolation NSG. Nothing is overwritten.");
            }
            else if (previous is not null && await arm.FindAsync(previous, cancellationToken) is null)
            {
                warnings.Add($"NIC {name}'s previous NSG {previous} no longer exists: the NIC stays behind the isolation NSG; choose its NSG by hand.");
            }
            else
            {
                changes.Add(new RestoreNicSecurityGroup(moved.ResourceId, $"Put NIC {name} back behind {Name(previous)} (out of {Name(isolation)})", isolation, previous));
            }
        }

        foreach (var created in done.Where(c => c.Kind == "ensure-isolation-nsg"))
        {
            if (await arm.ReadAsync(created.ResourceId, cancellationToken) is not { } nsg)
            {
                continue;
            }

            var restored = changes.OfType<RestoreNicSecurityGroup>().Where(c => Same(c.IsolationNsg, created.ResourceId)).Select(c => c.ResourceId).ToList();
            var others = VmReads.Users(nsg).Where(u => !restored.Contains(u, StringComparer.OrdinalIgnoreCase)).ToList();
            var name = ResourceTypes.NameOf(created.ResourceId);
            if (others.Count > 0)
            {
                evidence.Add(new Evidence($"NSG {name}", $"kept: it still isolates {string.Join(", ", others.Select(ResourceTypes.NameOf))}"));
            }
            else if (!IsolationRules.Matches(nsg, policy.Value.Resources.ForensicSourceRanges))
            {
                warnings.Add($"{IsolationRelease.ChangedSince}the rules of {name} are not the isolation's any more: it is kept; delete it by hand once checked.");
            }
            else
            {
                changes.Add(new DeleteIsolationNsg(created.ResourceId, $"Delete the deny-all NSG {name} (nothing else uses it)"));
            }
        }

        if (done.Any(c => c.Kind == "deallocate-vm") && OriginalStep.Property(original.Before, "power")?.GetString() == "running")
        {
            var power = await VmReads.PowerStateAsync(arm, step.Target.Id, cancellationToken);
            evidence.Add(new Evidence("Power state", $"running before the containment, deallocated by it; now {power}"));
            if (power == "deallocated")
            {
                changes.Add(new StartVirtualMachine(step.Target.Id, $"Start {step.Target.Name} (it was running before the containment)"));
            }
            else
            {
                warnings.Add($"{IsolationRelease.ChangedSince}{step.Target.Name} is {power} now, not deallocated. Its power state is left as it is.");
            }
        }

        if (done.Any(c => c.Kind == "snapshot-disk"))
        {
            warnings.Add("The disk snapshots taken for the investigation are kept: delete them when the investigation no longer needs them.");
        }

        var before = await IsolationRelease.StateAsync(handlers, step, cancellationToken);
        return changes.Count == 0
            ? Plans.NothingToDo(step.Step, $"Nothing of {step.Target.Name}'s isolation to undo as the containment left it.", evidence, before, warnings)
            : Plans.Change(step.Step, $"Take VM {step.Target.Name} out of isolation: {changes.Count} change(s).", evidence, changes, warnings, before);
    }

    public Task<ChangeResult> ApplyAsync(ReleaseStep step, OriginalStep original, PlannedChange change, CancellationToken cancellationToken) =>
        IsolationRelease.RunAsync(change, () => change switch
        {
            RestoreNicSecurityGroup nic => RestoreNicAsync(nic, cancellationToken),
            DeleteIsolationNsg nsg => DeleteNsgAsync(nsg, cancellationToken),
            StartVirtualMachine vm => StartAsync(vm, cancellationToken),
            _ => throw new InvalidOperationException($"3.a's release does not know change '{change.Kind}' for a VM."),
        });

    public async Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var change in plan.Changes)
        {
            switch (change)
            {
                case RestoreNicSecurityGroup nic when !Same(VmReads.NsgOf(await arm.ReadAsync(nic.ResourceId, cancellationToken), out _), nic.PreviousNsg):
                    problems.Add($"NIC {ResourceTypes.NameOf(nic.ResourceId)} is not behind {nic.PreviousNsg ?? "no NSG"}");
                    break;
                case DeleteIsolationNsg nsg when await arm.FindAsync(nsg.ResourceId, cancellationToken) is not null:
                    problems.Add($"{ResourceTypes.NameOf(nsg.ResourceId)} still exists");
                    break;
                case StartVirtualMachine vm when await VmReads.PowerStateAsync(arm, vm.ResourceId, cancellationToken) != "running":
                    problems.Add($"{step.Target.Name} is not running");
                    break;
            }
        }

        return problems.Count == 0
            ? Results.Verified(step.Step, $"{step.Target.Name} is out of isolation: {string.Join("; ", plan.Changes.Select(c => c.Description))}.")
            : Results.Mismatch(step.Step, string.Join("; ", problems) + ".");
    }

    public Task<JsonElement> StateAsync(ReleaseStep step, CancellationToken cancellationToken) => IsolationRelease.StateAsync(handlers, step, cancellationToken);

    private async Task<(ChangeOutcome, string?)> RestoreNicAsync(RestoreNicSecurityGroup change, CancellationToken cancellationToken)
    {
        var nic = (await arm.ReadAsync(change.ResourceId, cancellationToken))?.AsObject();
        var now = VmReads.NsgOf(nic, out var exists);
        if (!exists || Same(now, change.PreviousNsg))
        {
            return (ChangeOutcome.AlreadyDone, null);
        }

        if (!Same(now, change.IsolationNsg))
        {
            return (ChangeOutcome.Refused, $"NIC {ResourceTypes.NameOf(change.ResourceId)} is behind {now ?? "no NSG"} now.");
        }

        // PUT replaces the NIC: send it back whole, with its previous NSG (or none) and without the isolation's tag.
        var properties = nic!["properties"]!.AsObject();
        properties.Remove("networkSecurityGroup");
        if (change.PreviousNsg is { } previous)
        {
            properties["networkSecurityGroup"] = new JsonObject { ["id"] = previous };
        }

        if (nic["tags"] is JsonObject tags && tags.Remove(VirtualMachineIsolation.PreviousNsgTag) && tags.Count == 0)
        {
            nic.Remove("tags");
        }

        await arm.PutAsync(change.ResourceId, nic, cancellationToken);
        return (ChangeOutcome.Done, null);
    }

    private async Task<(ChangeOutcome, string?)> DeleteNsgAsync(DeleteIsolationNsg change, CancellationToken cancellationToken)
    {
        if (await arm.ReadAsync(change.ResourceId, cancellationToken) is not { } nsg)
        {
            return (ChangeOutcome.AlreadyDone, null);
        }

        if (VmReads.Users(nsg).ToList() is { Count: > 0 } users)
        {
            return (ChangeOutcome.Refused, $"{ResourceTypes.NameOf(change.ResourceId)} is associated with {string.Join(", ", users.Select(ResourceTypes.NameOf))}.");
        }

        await arm.DeleteAsync(change.ResourceId, cancellationToken);
        return (ChangeOutcome.Done, null);
    }

    private async Task<(ChangeOutcome, string?)> StartAsync(StartVirtualMachine change, CancellationToken cancellationToken)
    {
        var power = await VmReads.PowerStateAsync(arm, change.ResourceId, cancellationToken);
        if (power is "running" or "starting")
        {
            return (ChangeOutcome.AlreadyDone, null);
        }

        if (power != "deallocated")
        {
            return (ChangeOutcome.Refused, $"the VM is {power} now.");
        }

        await arm.PostAsync(change.ResourceId + "/start", null, cancellationToken);
        return (ChangeOutcome.Done, null);
    }

    private static string? PreviousOf(OriginalChange moved) =>
        moved.Values.GetValueOrDefault("previousNsg") is { Length: > 0 } previous && previous != "none" ? previous : null;

    private static string Name(string? nsgId) => nsgId is null ? "no NSG" : ResourceTypes.NameOf(nsgId);

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
