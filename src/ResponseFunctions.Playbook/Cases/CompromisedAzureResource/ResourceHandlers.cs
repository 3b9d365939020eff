using System.Text.Json;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.AzureResources;

namespace ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

/// <summary>
/// What one resource type does for an action of Case 3 (3.a or 3.b): plan from the resource as read, make one planned
/// change (idempotent: AlreadyDone when it is in place), verify, and describe the state journaled before and after.
/// </summary>
public interface IResourceHandler
{
    /// <summary>Whether this handler takes <paramref name="resourceType"/> (e.g. "Microsoft.Compute/virtualMachines").</summary>
    bool Handles(string resourceType);

    Task<ActionPlan> PlanAsync(StepContext step, ArmResource resource, CancellationToken cancellationToken);

    Task<ChangeOutcome> ApplyAsync(StepContext step, PlannedChange change, CancellationToken cancellationToken);

    Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken);

    Task<JsonElement> StateAsync(StepContext step, CancellationToken cancellationToken);
}

/// <summary>Resource types by what the sheet says to do with them.</summary>
public static class ResourceTypes
{
    public const string VirtualMachine = "Microsoft.Compute/virtualMachines";
    public const string Site = "Microsoft.Web/sites";
    public const string Slot = "Microsoft.Web/sites/slots";
    public const string StorageAccount = "Microsoft.Storage/storageAccounts";

    public static bool Is(string type, string expected) => string.Equals(type, expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>The type of an ARM id, from the id alone ("Microsoft.Web/sites/slots" for a slot).</summary>
    public static string Of(string resourceId) => new Azure.Core.ResourceIdentifier(resourceId).ResourceType.ToString();

    /// <summary>"/subscriptions/{s}/resourceGroups/{rg}" of an id.</summary>
    public static string ResourceGroupScope(string resourceId)
    {
        var id = new Azure.Core.ResourceIdentifier(resourceId);
        return $"/subscriptions/{id.SubscriptionId}/resourceGroups/{id.ResourceGroupName}";
    }

    public static string NameOf(string resourceId) => resourceId[(resourceId.TrimEnd('/').LastIndexOf('/') + 1)..];
}

/// <summary>A 3.a handler: isolates one resource type.</summary>
public interface IIsolationHandler : IResourceHandler;

/// <summary>A 3.b handler: inventories and revokes the credentials of one resource type.</summary>
public interface ICredentialHandler : IResourceHandler;
