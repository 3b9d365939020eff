using System.Text.Json;
using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.AzureResources;

namespace ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

/// <summary>
/// 3.a for a storage account: anonymous blob access off, public network access off, firewall default Deny (IP rules
/// cleared, virtual network rules and the trusted-services bypass kept). The previous settings and rules are the before-state.
/// </summary>
/// <remarks>Storage: GET and PATCH storageAccounts (allowBlobPublicAccess, publicNetworkAccess, networkAcls). Source:
/// azure-rest-api-specs storage.json StorageAccounts_Update; learn.microsoft.com/azure/storage/common/storage-network-security.</remarks>
public sealed class StorageAccountIsolation(ArmResources arm) : IIsolationHandler
{
    public bool Handles(string resourceType) => ResourceTypes.Is(resourceType, ResourceTypes.StorageAccount);

    public Task<ActionPlan> PlanAsync(StepContext step, ArmResource account, CancellationToken cancellationToken)
    {
        var state = StateOf(account);
        var evidence = new List<Evidence>
        {
            new("Anonymous blob access", state["allowBlobPublicAccess"]?.ToString() ?? "true (not set)"),
            new("Public network access", state["publicNetworkAccess"]?.ToString() ?? "Enabled (not set)"),
            new("Firewall", $"default {state["networkAcls"]?["defaultAction"] ?? "Allow"}, {(state["networkAcls"]?["ipRules"] as JsonArray)?.Count ?? 0} IP rule(s)"),
        };
        return Task.FromResult(IsClosed(account)
            ? Plans.NothingToDo(step, $"{account.Name} is already closed to public access.", evidence, Snapshot.Of(state))
            : Plans.Change(step, $"Close {account.Name} to public access.", evidence,
                [new CloseStorageAccount(account.Id, $"Anonymous blob access off, public network access off, firewall default Deny on {account.Name}")],
                ["Every client reaching the account over its public endpoint stops working (apps using its connection string, a Function app's AzureWebJobsStorage): plan their private access."],
                Snapshot.Of(state)));
    }

    public async Task<ChangeOutcome> ApplyAsync(StepContext step, PlannedChange change, CancellationToken cancellationToken)
    {
        var close = change as CloseStorageAccount ?? throw new InvalidOperationException($"3.a does not make '{change.Kind}' changes on a storage account.");
        var account = await arm.GetAsync(close.ResourceId, cancellationToken);
        if (IsClosed(account))
        {
            return ChangeOutcome.AlreadyDone;
        }

        var acls = account.Properties["networkAcls"];
        await arm.PatchAsync(close.ResourceId, new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["allowBlobPublicAccess"] = false,
                ["publicNetworkAccess"] = "Disabled",
                ["networkAcls"] = new JsonObject
                {
                    ["defaultAction"] = "Deny",
                    ["bypass"] = acls?["bypass"]?.DeepClone() ?? "AzureServices",
                    ["ipRules"] = new JsonArray(),
                    ["virtualNetworkRules"] = acls?["virtualNetworkRules"]?.DeepClone() ?? new JsonArray(),
                },
            },
        }, cancellationToken);
        return ChangeOutcome.Done;
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken) =>
        IsClosed(await arm.GetAsync(step.Target.Id, cancellationToken))
            ? Results.Verified(step, "Anonymous blob access off, public network access Disabled, firewall default Deny.")
            : Results.Mismatch(step, "The account is open again (anonymous access, public network access or firewall).");

    public async Task<JsonElement> StateAsync(StepContext step, CancellationToken cancellationToken) =>
        Snapshot.Of(StateOf(await arm.GetAsync(step.Target.Id, cancellationToken)));

    private static bool IsClosed(ArmResource account) =>
        account.Properties["allowBlobPublicAccess"]?.GetValue<bool>() == false
        && account.Properties["publicNetworkAccess"]?.GetValue<string>() == "Disabled"
        && account.Properties["networkAcls"]?["defaultAction"]?.GetValue<string>() == "Deny";

    private static JsonObject StateOf(ArmResource account) => new()
    {
        ["allowBlobPublicAccess"] = account.Properties["allowBlobPublicAccess"]?.DeepClone(),
        ["publicNetworkAccess"] = account.Properties["publicNetworkAccess"]?.DeepClone(),
        ["allowSharedKeyAccess"] = account.Properties["allowSharedKeyAccess"]?.DeepClone(),
        ["networkAcls"] = account.Properties["networkAcls"]?.DeepClone(),
    };
}
