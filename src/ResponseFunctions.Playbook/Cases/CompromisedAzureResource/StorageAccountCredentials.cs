using System.Text.Json;
using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.AzureResources;

namespace ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

/// <summary>
/// 3.b for a storage account: key1 then key2 regenerated (every connection string and account/service SAS signed with them
/// dies), user delegation keys revoked (every user delegation SAS dies). Verified by fingerprint: no current key matches the
/// old ones. Keys already regenerated since the incident opened are left alone.
/// </summary>
/// <remarks>Storage: POST listKeys, regenerateKey {keyName}, revokeUserDelegationKeys. Source: azure-rest-api-specs storage.json.</remarks>
public sealed class StorageAccountCredentials(ArmResources arm, ResourceIdentities identities) : ICredentialHandler
{
    public bool Handles(string resourceType) => ResourceTypes.Is(resourceType, ResourceTypes.StorageAccount);

    public async Task<ActionPlan> PlanAsync(StepContext step, ArmResource account, CancellationToken cancellationToken)
    {
        var keys = await KeysAsync(account.Id, cancellationToken);
        var evidence = keys.Select(k => new Evidence($"Key {k.Name}", $"{k.Fingerprint}, created {k.Created:u}")).ToList();
        var warnings = new List<string>();
        evidence.AddRange(await identities.InventoryAsync(account, warnings, cancellationToken));
        var stale = keys.Where(k => !step.Scope.IsSinceOpened(k.Created)).ToList();
        warnings.Add(ManualTask.Of($"give the new keys (or, better, Entra ID access) to every legitimate client of {account.Name}: apps and Function apps using its connection string."));
        if (stale.Count == 0)
        {
            return Plans.NothingToDo(step, $"Both keys of {account.Name} were regenerated since the incident opened.", evidence, Snapshot.Of(keys), warnings);
        }

        var changes = stale.Select(k => new UntypedChange("regenerate-storage-key", account.Id, $"Regenerate {k.Name} of {account.Name} (old key {k.Fingerprint})",
            new Dictionary<string, string> { ["keyName"] = k.Name, ["oldFingerprint"] = k.Fingerprint })).ToList();
        changes.Add(new UntypedChange("revoke-user-delegation-keys", account.Id, $"Revoke every user delegation key of {account.Name} (user delegation SAS)"));
        return Plans.Change(step, $"Rotate the keys of {account.Name} one after the other and revoke its user delegation keys.", evidence, changes, warnings, Snapshot.Of(keys));
    }

    public async Task<ChangeOutcome> ApplyAsync(StepContext step, PlannedChange change, CancellationToken cancellationToken)
    {
        if (change.Kind == "revoke-user-delegation-keys")
        {
            await arm.PostAsync(change.ResourceId + "/revokeUserDelegationKeys", null, cancellationToken);
            return ChangeOutcome.Done;
        }

        var name = change.Parameter("keyName");
        if ((await KeysAsync(change.ResourceId, cancellationToken)).FirstOrDefault(k => k.Name == name)?.Fingerprint != change.Parameter("oldFingerprint"))
        {
            return ChangeOutcome.AlreadyDone;
        }

        await arm.PostAsync(change.ResourceId + "/regenerateKey", new JsonObject { ["keyName"] = name }, cancellationToken);
        return ChangeOutcome.Done;
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = (await KeysAsync(step.Target.Id, cancellationToken)).Select(k => k.Fingerprint).ToHashSet();
        var old = plan.Changes.Where(c => c.Kind == "regenerate-storage-key").Select(c => c.Parameter("oldFingerprint")).ToList();
        var alive = old.Where(current.Contains).ToList();
        return alive.Count == 0
            ? Results.Verified(step, $"No current key matches the {old.Count} old key fingerprint(s): the old keys and their SAS no longer validate.")
            : Results.Mismatch(step, $"Old key(s) still valid: {string.Join(", ", alive)}.");
    }

    public async Task<JsonElement> StateAsync(StepContext step, CancellationToken cancellationToken) =>
        Snapshot.Of(await KeysAsync(step.Target.Id, cancellationToken));

    /// <summary>The keys by name, fingerprint and creation time; the values stay in this method.</summary>
    private async Task<List<KeyState>> KeysAsync(string accountId, CancellationToken cancellationToken)
    {
        var result = await arm.PostAsync(accountId + "/listKeys", null, cancellationToken);
        return [.. (result?["keys"]?.AsArray() ?? []).Select(k => new KeyState(
            k!["keyName"]!.GetValue<string>(),
            SecretFingerprint.Of(k["value"]!.GetValue<string>()),
            DateTimeOffset.TryParse(k["creationTime"]?.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var created) ? created : null))];
    }

    private sealed record KeyState(string Name, string Fingerprint, DateTimeOffset? Created);
}
