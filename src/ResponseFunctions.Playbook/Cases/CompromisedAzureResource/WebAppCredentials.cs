using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.AzureResources;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

/// <summary>
/// 3.b for an App Service / Function App: basic-auth publishing (SCM and FTP) turned off, Functions host keys (master and
/// host function keys) regenerated, Key Vault secrets referenced by app settings rotated when policy marks them generated;
/// other Key Vault references and secret-looking settings become manual tasks naming the setting. Settings are read for
/// their names and Key Vault references only.
/// </summary>
/// <remarks>Web: POST config/appsettings/list, host/default/listkeys; PUT host/default/{keyType}/{keyName} (no value: the platform
/// generates one); GET/PUT basicPublishingCredentialsPolicies/{scm|ftp}. Source: azure-rest-api-specs WebApps.json.</remarks>
public sealed class WebAppCredentials(ArmResources arm, KeyVaultSecretRotation vaults, ResourceIdentities identities, IOptions<ContainmentPolicy> policy) : ICredentialHandler
{
    private static readonly string[] SecretWords = ["KEY", "SECRET", "TOKEN", "PASSWORD", "PWD", "CONNECTIONSTRING", "SAS", "APIKEY"];

    public bool Handles(string resourceType) => ResourceTypes.Is(resourceType, ResourceTypes.Site) || ResourceTypes.Is(resourceType, ResourceTypes.Slot);

    public async Task<ActionPlan> PlanAsync(StepContext step, ArmResource site, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var evidence = new List<Evidence>(await identities.InventoryAsync(site, warnings, cancellationToken));
        var changes = new List<PlannedChange>();
        // Every slot has its own publishing credentials: a leaked staging profile deploys to staging, then swaps.
        var slots = ResourceTypes.Is(site.Type, ResourceTypes.Site)
            ? (await arm.ReadAsync(site.Id + "/slots", cancellationToken))?["value"]?.AsArray().Select(s => s!["id"]!.GetValue<string>()).ToList() ?? []
            : [];
        foreach (var (id, protocol) in slots.Prepend(site.Id).SelectMany(id => new[] { (id, "scm"), (id, "ftp") }))
        {
            var allowed = (await arm.ReadAsync($"{id}/basicPublishingCredentialsPolicies/{protocol}", cancellationToken))?["properties"]?["allow"]?.GetValue<bool>() ?? true;
            evidence.Add(new Evidence($"Basic-auth publishing of {ResourceTypes.NameOf(id)} ({protocol})", allowed ? "allowed" : "off"));
            if (allowed)
            {
                changes.Add(new UntypedChange("disable-basic-auth", $"{id}/basicPublishingCredentialsPolicies/{protocol}",
                    $"Turn off basic-auth {protocol.ToUpperInvariant()} publishing credentials of {ResourceTypes.NameOf(id)}"));
            }
        }

        if (site.Kind?.Contains("functionapp", StringComparison.OrdinalIgnoreCase) == true)
        {
            foreach (var (type, name, fingerprint) in await HostKeysAsync(site.Id, cancellationToken))
            {
                evidence.Add(new Evidence($"Host key {type}/{name}", fingerprint));
                changes.Add(new UntypedChange("regenerate-host-key", site.Id, $"Regenerate the Functions {type} '{name}' (old {fingerprint})",
                    new Dictionary<string, string> { ["keyType"] = type, ["keyName"] = name, ["oldFingerprint"] = fingerprint }));
            }
        }

        var settings = (await arm.PostAsync(site.Id + "/config/appsettings/list", null, cancellationToken))?["properties"] as JsonObject ?? [];
        evidence.Add(new Evidence("App settings", string.Join(", ", settings.Select(s => s.Key))));
        foreach (var (name, value) in settings)
        {
            if (KeyVaultSecretRotation.ParseReference(value?.GetValue<string>() ?? "") is { } reference)
            {
                await PlanSecretAsync(step, site, name, reference, evidence, changes, warnings, cancellationToken);
            }
            else if (SecretWords.Any(w => name.Replace("_", "", StringComparison.Ordinal).Contains(w, StringComparison.OrdinalIgnoreCase)))
            {
                warnings.Add(ManualTask.Of($"the app setting {name} of {site.Name} holds a credential in clear: renew it at its source (third-party API, database…), "
                    + "then move it to Key Vault."));
            }
        }

        var before = Snapshot.Of(new { evidence });
        return changes.Count == 0
            ? Plans.NothingToDo(step, $"Nothing on {site.Name} is left for the playbook to rotate.", evidence, before, warnings)
            : Plans.Change(step, $"Revoke {changes.Count} credential(s) of {site.Name}.", evidence, changes, warnings, before);
    }

    public async Task<ChangeOutcome> ApplyAsync(StepContext step, PlannedChange change, CancellationToken cancellationToken)
    {
        switch (change.Kind)
        {
            case "disable-basic-auth":
                if ((await arm.ReadAsync(change.ResourceId, cancellationToken))?["properties"]?["allow"]?.GetValue<bool>() == false)
                {
                    return ChangeOutcome.AlreadyDone;
                }

                await arm.PutAsync(change.ResourceId, new JsonObject { ["properties"] = new JsonObject { ["allow"] = false } }, cancellationToken);
                return ChangeOutcome.Done;
            case "regenerate-host-key":
                var (type, name) = (change.Parameter("keyType"), change.Parameter("keyName"));
                if ((await HostKeysAsync(change.ResourceId, cancellationToken)).FirstOrDefault(k => k.Type == type && k.Name == name).Fingerprint != change.Parameter("oldFingerprint"))
                {
                    return ChangeOutcome.AlreadyDone;
                }

                await arm.PutAsync($"{change.ResourceId}/host/default/{type}/{name}", new JsonObject { ["properties"] = new JsonObject { ["name"] = name } }, cancellationToken);
                return ChangeOutcome.Done;
            case "rotate-key-vault-secret":
                var (vault, secret) = (change.Parameter("vault"), change.Parameter("secret"));
                var old = change.Parameter("oldVersions").Split(',', StringSplitOptions.RemoveEmptyEntries);
                var versions = await vaults.VersionsAsync(vault, secret, cancellationToken);
                if (versions.Any(v => v.Enabled && !old.Contains(v.Version)) && versions.Where(v => old.Contains(v.Version)).All(v => !v.Enabled))
                {
                    return ChangeOutcome.AlreadyDone;
                }

                await vaults.RotateAsync(vault, secret, old, cancellationToken);
                return ChangeOutcome.Done;
            default:
                throw new InvalidOperationException($"3.b does not know change '{change.Kind}'.");
        }
    }

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var change in plan.Changes)
        {
            if (change.Kind == "disable-basic-auth")
            {
                var policyState = await arm.ReadAsync(change.ResourceId, cancellationToken);
                if (policyState?["properties"]?["allow"]?.GetValue<bool>() != false)
                {
                    problems.Add($"{ResourceTypes.NameOf(change.ResourceId)} basic auth is allowed");
                }
            }
            else if (change.Kind == "regenerate-host-key")
            {
                if ((await HostKeysAsync(change.ResourceId, cancellationToken)).Any(k => k.Fingerprint == change.Parameter("oldFingerprint")))
                {
                    problems.Add($"host key {change.Parameter("keyName")} still validates");
                }
            }
            else if (change.Kind == "rotate-key-vault-secret")
            {
                var old = change.Parameter("oldVersions").Split(',', StringSplitOptions.RemoveEmptyEntries);
                var versions = await vaults.VersionsAsync(change.Parameter("vault"), change.Parameter("secret"), cancellationToken);
                if (versions.Any(v => old.Contains(v.Version) && v.Enabled) || !versions.Any(v => v.Enabled && !old.Contains(v.Version)))
                {
                    problems.Add($"secret {change.Parameter("secret")} still has an old version enabled or no new one");
                }
            }
        }

        return problems.Count == 0
            ? Results.Verified(step, "Basic auth off, old host keys no longer match any current key (fingerprints), old secret versions disabled with a new one enabled.")
            : Results.Mismatch(step, string.Join("; ", problems) + ".");
    }

    public async Task<JsonElement> StateAsync(StepContext step, CancellationToken cancellationToken) =>
        Snapshot.Of(new { hostKeys = (await arm.GetAsync(step.Target.Id, cancellationToken)).Kind?.Contains("functionapp", StringComparison.OrdinalIgnoreCase) == true
            ? (await HostKeysAsync(step.Target.Id, cancellationToken)).Select(k => $"{k.Type}/{k.Name} {k.Fingerprint}").ToList()
            : [] });

    private async Task PlanSecretAsync(StepContext step, ArmResource site, string setting, (string Vault, string Secret, string? Version) reference,
        List<Evidence> evidence, List<PlannedChange> changes, List<string> warnings, CancellationToken cancellationToken)
    {
        evidence.Add(new Evidence($"Key Vault reference {setting}", $"{reference.Vault}/{reference.Secret}{(reference.Version is null ? "" : "/" + reference.Version)}"));
        if (!policy.Value.Resources.IsGenerated(reference.Vault, reference.Secret))
        {
            warnings.Add(ManualTask.Of($"the secret {reference.Vault}/{reference.Secret} (app setting {setting} of {site.Name}) comes from elsewhere: renew it at its source, then store the new value in Key Vault."));
            return;
        }

        var versions = await vaults.VersionsAsync(reference.Vault, reference.Secret, cancellationToken);
        var stale = versions.Where(v => v.Enabled && !step.Scope.IsSinceOpened(v.Created)).Select(v => v.Version).ToList();
        if (stale.Count > 0 || !versions.Any(v => v.Enabled))
        {
            changes.Add(new UntypedChange("rotate-key-vault-secret", $"https://{reference.Vault}.vault.azure.net/secrets/{reference.Secret}",
                $"New random version of {reference.Vault}/{reference.Secret}, then disable version(s) {string.Join(", ", stale)}",
                new Dictionary<string, string> { ["vault"] = reference.Vault, ["secret"] = reference.Secret, ["oldVersions"] = string.Join(",", stale) }));
            if (reference.Version is not null)
            {
                warnings.Add(ManualTask.Of($"the app setting {setting} of {site.Name} pins version {reference.Version}: point it at the new version (or drop the version)."));
            }
        }
    }

    private async Task<List<(string Type, string Name, string Fingerprint)>> HostKeysAsync(string siteId, CancellationToken cancellationToken)
    {
        var keys = await arm.PostAsync(siteId + "/host/default/listkeys", null, cancellationToken);
        var result = new List<(string, string, string)>();
        if (keys?["masterKey"]?.GetValue<string>() is { } master)
        {
            result.Add(("masterKey", "_master", SecretFingerprint.Of(master)));
        }

        foreach (var (name, value) in keys?["functionKeys"] as JsonObject ?? [])
        {
            result.Add(("functionKeys", name, SecretFingerprint.Of(value?.GetValue<string>() ?? "")));
        }

        return result;
    }
}
