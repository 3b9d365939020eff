using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.AzureResources;
using ResponseFunctions.Playbook.Cases.CompromisedAccount;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

/// <summary>The VM's local administrator (<see cref="UserName"/>) given a random password through the VMAccess extension (<c>resourceId</c>).</summary>
public sealed record ResetAdministratorPassword(string ResourceId, string Description, string UserName, bool Linux, string Location) : PlannedChange(ResourceId, Description);

/// <summary>
/// 3.b for a VM: inventory of its managed identities, extensions (any of them may carry secrets in protectedSettings, and an
/// attacker may have added one) and local administrator; when policy allows, the administrator's password is reset through
/// the VMAccess extension with a random password that is never kept. Otherwise the reset is a manual task.
/// </summary>
/// <remarks>Compute: GET …/extensions, PUT …/extensions/{name} (Windows: Microsoft.Compute/VMAccessAgent 2.4, settings.UserName +
/// protectedSettings.Password; Linux: Microsoft.OSTCExtensions/VMAccessForLinux 1.5, protectedSettings.username/password).
/// Source: learn.microsoft.com/azure/virtual-machines/extensions/vmaccess-linux and windows/reset-rdp.</remarks>
public sealed class VirtualMachineCredentials(ArmResources arm, ResourceIdentities identities, IPasswordGenerator passwords, IOptions<ContainmentPolicy> policy)
    : ICredentialHandler
{
    public bool Handles(string resourceType) => ResourceTypes.Is(resourceType, ResourceTypes.VirtualMachine);

    public async Task<ActionPlan> PlanAsync(StepContext step, ArmResource vm, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var evidence = new List<Evidence>(await identities.InventoryAsync(vm, warnings, cancellationToken));
        foreach (var extension in (await arm.ReadAsync(vm.Id + "/extensions", cancellationToken))?["value"]?.AsArray() ?? [])
        {
            var p = extension?["properties"];
            evidence.Add(new Evidence($"Extension {extension?["name"]}", $"{p?["publisher"]}/{p?["type"]}"));
            warnings.Add(ManualTask.Of($"check the extension {extension?["name"]} ({p?["type"]}) of {vm.Name}: remove it if nobody installed it, and renew any secret its protectedSettings carried."));
        }

        var admin = vm.Properties["osProfile"]?["adminUsername"]?.GetValue<string>() ?? "unknown";
        evidence.Add(new Evidence("Local administrator", admin));
        warnings.Add(ManualTask.Of($"renew the credentials of other local accounts of {vm.Name} and any API token stored on its disks (from the snapshot)."));
        if (!policy.Value.Resources.ResetVmAdministratorPassword)
        {
            warnings.Add(ManualTask.Of($"reset the password of {admin} on {vm.Name} (policy Resources.ResetVmAdministratorPassword is off)."));
            return Plans.NothingToDo(step, $"Nothing on {vm.Name} for the playbook to rotate by policy; see the manual tasks.", evidence, Snapshot.Of(new { admin }), warnings);
        }

        var linux = vm.Properties["osProfile"]?["linuxConfiguration"] is not null;
        warnings.Add("The reset runs through the VM agent: if the VM is deallocated or its agent cannot reach the platform, it fails and stays a manual task.");
        return Plans.Change(step, $"Reset the local administrator password of {vm.Name}.", evidence,
            [new ResetAdministratorPassword(vm.Id + "/extensions/" + (linux ? "VMAccessForLinux" : "VMAccessAgent"),
                $"Set a random password (discarded unseen) for {admin} on {vm.Name}", admin, linux, vm.Location ?? "")],
            warnings, Snapshot.Of(new { admin }));
    }

    public async Task<ChangeOutcome> ApplyAsync(StepContext step, PlannedChange change, CancellationToken cancellationToken)
    {
        var reset = (ResetAdministratorPassword)change;
        var (linux, user, tag) = (reset.Linux, reset.UserName, ResetTag(step));
        // The password is write-only (protectedSettings is never returned): what ARM does return is the extension's
        // forceUpdateTag and provisioningState. This incident's tag on a succeeded extension means its reset was made.
        var extension = (await arm.ReadAsync(change.ResourceId, cancellationToken))?["properties"];
        if (extension?["forceUpdateTag"]?.GetValue<string>() == tag && extension["provisioningState"]?.GetValue<string>() == "Succeeded")
        {
            return ChangeOutcome.AlreadyDone;
        }

        var password = passwords.Generate();
        await arm.PutAsync(change.ResourceId, new JsonObject
        {
            ["location"] = reset.Location,
            ["properties"] = new JsonObject
            {
                ["forceUpdateTag"] = tag,
                ["publisher"] = linux ? "Microsoft.OSTCExtensions" : "Microsoft.Compute",
                ["type"] = linux ? "VMAccessForLinux" : "VMAccessAgent",
                ["typeHandlerVersion"] = linux ? "1.5" : "2.4",
                ["autoUpgradeMinorVersion"] = true,
                ["settings"] = linux ? new JsonObject() : new JsonObject { ["UserName"] = user },
                ["protectedSettings"] = linux ? new JsonObject { ["username"] = user, ["password"] = password } : new JsonObject { ["Password"] = password },
            },
        }, cancellationToken);
        return ChangeOutcome.Done;
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        foreach (var change in plan.Changes)
        {
            var state = (await arm.ReadAsync(change.ResourceId, cancellationToken))?["properties"]?["provisioningState"]?.GetValue<string>();
            if (state != "Succeeded")
            {
                return Results.Mismatch(step, $"The password reset extension is {state ?? "absent"}: reset the password by hand.");
            }
        }

        return Results.Verified(step, "The password reset extension succeeded: the old administrator password no longer works.");
    }

    /// <summary>Marks the extension run as this incident's reset (forceUpdateTag, "how the extension handler should be forced to update").</summary>
    private static string ResetTag(StepContext step) => $"responsefunctions:{step.IncidentId}:3.b";

    public async Task<JsonElement> StateAsync(StepContext step, CancellationToken cancellationToken) =>
        Snapshot.Of(new { extensions = ((await arm.ReadAsync(step.Target.Id + "/extensions", cancellationToken))?["value"]?.AsArray() ?? []).Select(e => e?["name"]?.ToString()) });
}
