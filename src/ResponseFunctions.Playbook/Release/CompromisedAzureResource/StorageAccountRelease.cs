using System.Text.Json;
using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.AzureResources;
using ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

namespace ResponseFunctions.Playbook.Release.CompromisedAzureResource;

/// <summary>
/// 3.a's release for a storage account: anonymous blob access, public network access and the firewall (networkAcls)
/// each put back to its journaled value, one change per setting, and only a setting still as the containment left it;
/// one changed since is shown and kept. A setting the account did not return before the containment is restored to
/// what the service does when it is not set.
/// </summary>
/// <remarks>Storage: GET and PATCH storageAccounts. Source: azure-rest-api-specs storage.json StorageAccounts_Update
/// (allowBlobPublicAccess: "the default interpretation is false"; publicNetworkAccess Enabled | Disabled | SecuredByPerimeter;
/// NetworkRuleSet defaultAction Allow by default); learn.microsoft.com/azure/storage/common/storage-network-security.</remarks>
public sealed class StorageAccountRelease(ArmResources arm, IEnumerable<IIsolationHandler> handlers) : IIsolationRelease
{
    /// <summary>What 3.a changes, and the service's value when the property is not set.</summary>
    private static readonly (string Name, Func<JsonNode> Unset)[] Settings =
    [
        ("allowBlobPublicAccess", () => JsonValue.Create(false)),
        ("publicNetworkAccess", () => JsonValue.Create("Enabled")),
        ("networkAcls", () => new JsonObject { ["defaultAction"] = "Allow", ["bypass"] = "AzureServices", ["ipRules"] = new JsonArray(), ["virtualNetworkRules"] = new JsonArray() }),
    ];

    public bool Handles(string resourceType) => ResourceTypes.Is(resourceType, ResourceTypes.StorageAccount);

    public async Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken)
    {
        var evidence = new List<Evidence> { new("Containment entry", original.EntryId) };
        var changes = new List<PlannedChange>();
        var warnings = new List<string>();
        var account = await arm.GetAsync(step.Target.Id, cancellationToken);
        if (original.Done.Any(c => c.Kind == "close-storage-account"))
        {
            foreach (var (name, unset) in Settings)
            {
                var (before, after, now) = Values(original, account, name, unset);
                evidence.Add(new Evidence(name, $"before the containment: {Text(before)}; left: {Text(after)}; now: {Text(now)}"));
                if (IsolationRelease.Same(now, before))
                {
                    continue;
                }

                if (IsolationRelease.Same(now, after))
                {
                    changes.Add(new RestoreStorageSetting(account.Id, $"{name} on {account.Name} back to {Text(before)}", name));
                }
                else
                {
                    warnings.Add($"{IsolationRelease.ChangedSince}{name} on {account.Name} is {Text(now)}, not what the containment set. Nothing is overwritten.");
                }
            }
        }

        var current = await IsolationRelease.StateAsync(handlers, step, cancellationToken);
        return changes.Count == 0
            ? Plans.NothingToDo(step.Step, $"Nothing of {account.Name}'s isolation to undo as the containment left it.", evidence, current, warnings)
            : Plans.Change(step.Step, $"Reopen {account.Name} as it was before the containment: {changes.Count} setting(s).", evidence, changes,
                [.. warnings, "The account is reachable over its public endpoint again, as before the containment: make sure what was exposed is clean."], current);
    }

    public Task<ChangeResult> ApplyAsync(ReleaseStep step, OriginalStep original, PlannedChange change, CancellationToken cancellationToken) =>
        IsolationRelease.RunAsync(change, async () =>
        {
            var setting = change as RestoreStorageSetting ?? throw new InvalidOperationException($"3.a's release does not know change '{change.Kind}' for a storage account.");
            var (name, unset) = Settings.Single(s => s.Name == setting.Setting);
            var (before, after, now) = Values(original, await arm.GetAsync(change.ResourceId, cancellationToken), name, unset);
            if (IsolationRelease.Same(now, before))
            {
                return (ChangeOutcome.AlreadyDone, (string?)null);
            }

            if (!IsolationRelease.Same(now, after))
            {
                return (ChangeOutcome.Refused, $"{name} changed since the plan ({Text(now)}).");
            }

            await arm.PatchAsync(change.ResourceId, new JsonObject { ["properties"] = new JsonObject { [name] = before.DeepClone() } }, cancellationToken);
            return (ChangeOutcome.Done, null);
        });

    public async Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var account = await arm.GetAsync(step.Target.Id, cancellationToken);
        var wrong = plan.Changes.OfType<RestoreStorageSetting>()
            .Select(c => Settings.Single(s => s.Name == c.Setting))
            .Where(s => Values(original, account, s.Name, s.Unset) is var (before, _, now) && !IsolationRelease.Same(now, before))
            .Select(s => s.Name)
            .ToList();
        return wrong.Count == 0
            ? Results.Verified(step.Step, $"{account.Name} is as before the containment: {string.Join(", ", plan.Changes.OfType<RestoreStorageSetting>().Select(c => c.Setting))}.")
            : Results.Mismatch(step.Step, $"Not as before the containment: {string.Join(", ", wrong)}.");
    }

    public Task<JsonElement> StateAsync(ReleaseStep step, CancellationToken cancellationToken) => IsolationRelease.StateAsync(handlers, step, cancellationToken);

    /// <summary>The setting before and after the containment (journaled) and now, an unset one read as the service's default.</summary>
    private static (JsonNode Before, JsonNode After, JsonNode Now) Values(OriginalStep original, ArmResource account, string name, Func<JsonNode> unset) =>
        (IsolationRelease.Node(OriginalStep.Property(original.Before, name)) ?? unset(),
         IsolationRelease.Node(OriginalStep.Property(original.After, name)) ?? unset(),
         account.Properties[name]?.DeepClone() ?? unset());

    private static string Text(JsonNode value) => value.ToJsonString();
}
