using System.Text.Json;
using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.AzureResources;

namespace ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

/// <summary>One storage account key (<see cref="KeyName"/>) regenerated, unless it no longer has the value planned (<see cref="OldFingerprint"/>).</summary>
public sealed record RegenerateStorageKey(string ResourceId, string Description, string KeyName, string OldFingerprint) : PlannedChange(ResourceId, Description);

/// <summary>Every user delegation key of the account revoked, before the keys whose fingerprints it carries are rotated.</summary>
public sealed record RevokeUserDelegationKeys(string ResourceId, string Description, IReadOnlyList<string> OldFingerprints) : PlannedChange(ResourceId, Description);

/// <summary>
/// 3.b for a storage account: user delegation keys revoked (every user delegation SAS dies), then key1 and key2
/// regenerated (every connection string and account/service SAS signed with them dies). Verified by fingerprint: no
/// current key matches the old ones. Keys already regenerated since the incident opened are left alone. A second apply
/// sends nothing: a key no longer holding its planned value was regenerated, and the revocation (which the service does
/// not record) came before it.
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

        // The revocation first: the service keeps nothing that shows it happened, so the rotated keys that follow it stand as its proof.
        List<PlannedChange> changes = [new RevokeUserDelegationKeys(account.Id, $"Revoke every user delegation key of {account.Name} (user delegation SAS)", [.. stale.Select(k => k.Fingerprint)])];
        changes.AddRange(stale.Select(k => new RegenerateStorageKey(account.Id, $"Regenerate {k.Name} of {account.Name} (old key {k.Fingerprint})", k.Name, k.Fingerprint)));
        return Plans.Change(step, $"Revoke the user delegation keys of {account.Name}, then rotate its keys one after the other.", evidence, changes, warnings, Snapshot.Of(keys));
    }

    public async Task<ChangeOutcome> ApplyAsync(StepContext step, PlannedChange change, CancellationToken cancellationToken)
    {
        var current = await KeysAsync(change.ResourceId, cancellationToken);
        switch (change)
        {
            case RevokeUserDelegationKeys revoke:
                // revokeUserDelegationKeys answers 200 with no body and nothing on the account records it (storage.json,
                // StorageAccounts_RevokeUserDelegationKeys); listKeys gives each key's value and creationTime. The revocation
                // runs before the keys it was planned with are rotated, so once none of them is left it was made.
                if (!current.Any(k => revoke.OldFingerprints.Contains(k.Fingerprint)))
                {
                    return ChangeOutcome.AlreadyDone;
                }

                await arm.PostAsync(change.ResourceId + "/revokeUserDelegationKeys", null, cancellationToken);
                return ChangeOutcome.Done;
            case RegenerateStorageKey regenerate:
                if (current.FirstOrDefault(k => k.Name == regenerate.KeyName)?.Fingerprint != regenerate.OldFingerprint)
                {
                    return ChangeOutcome.AlreadyDone;
                }

                await arm.PostAsync(change.ResourceId + "/regenerateKey", new JsonObject { ["keyName"] = regenerate.KeyName }, cancellationToken);
                return ChangeOutcome.Done;
            default:
                throw new InvalidOperationException($"3.b does not make '{change.Kind}' changes on a storage account.");
        }
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var current = (await KeysAsync(step.Target.Id, cancellationToken)).Select(k => k.Fingerprint).ToHashSet();
        var old = plan.Changes.OfType<RegenerateStorageKey>().Select(c => c.OldFingerprint).ToList();
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
