using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.AzureResources;

namespace ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

/// <summary>
/// A resource's managed identities and their Azure RBAC role assignments, for 3.b's inventory: what an attacker on the
/// resource could reach with its tokens. Removing them is a person's call (the application may need them): a manual task.
/// </summary>
/// <remarks>Authorization: GET /subscriptions/{s}/providers/Microsoft.Authorization/roleAssignments?$filter=assignedTo('{principalId}').
/// Source: azure-rest-api-specs authorization RoleAssignments_ListForSubscription.</remarks>
public sealed class ResourceIdentities(ArmResources arm)
{
    public async Task<IReadOnlyList<Evidence>> InventoryAsync(ArmResource resource, List<string> warnings, CancellationToken cancellationToken)
    {
        if (resource.Identity is not { } identity || identity.Type.Equals("None", StringComparison.OrdinalIgnoreCase))
        {
            return [new Evidence("Managed identity", "none")];
        }

        var evidence = new List<Evidence> { new("Managed identity", identity.Type) };
        if (identity.PrincipalId is { } principal)
        {
            var subscription = new Azure.Core.ResourceIdentifier(resource.Id).SubscriptionId;
            var assignments = await arm.ReadAsync($"/subscriptions/{subscription}/providers/Microsoft.Authorization/roleAssignments?$filter=assignedTo('{principal}')", cancellationToken);
            var scopes = (assignments?["value"]?.AsArray() ?? []).Select(a => a?["properties"]?["scope"]?.GetValue<string>() ?? "?").ToList();
            evidence.Add(new Evidence("Role assignments of its system identity", scopes.Count == 0 ? "none" : string.Join("; ", scopes)));
            if (scopes.Count > 0)
            {
                warnings.Add(ManualTask.Of($"review the {scopes.Count} role assignment(s) of {resource.Name}'s managed identity ({principal}) and remove those the application does not need."));
            }
        }

        foreach (var user in identity.UserAssigned)
        {
            evidence.Add(new Evidence("User-assigned identity", user));
            warnings.Add(ManualTask.Of($"review what the user-assigned identity {ResourceTypes.NameOf(user)} (used by {resource.Name}) can reach."));
        }

        return evidence;
    }
}
