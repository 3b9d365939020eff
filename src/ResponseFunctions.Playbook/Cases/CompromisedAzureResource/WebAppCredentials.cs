using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.AzureResources;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

/// <summary>Basic-auth publishing credentials (the policy <c>resourceId</c>, SCM or FTP of a site or slot) turned off.</summary>
public sealed record DisableBasicAuth(string ResourceId, string Description) : PlannedChange(ResourceId, Description);

/// <summary>
/// 3.b for an App Service / Function App: basic-auth publishing (SCM and FTP) turned off, Functions host keys (master and
/// host function keys) regenerated, Key Vault secrets referenced by app settings rotated when policy marks them generated;
/// other Key Vault references and secret-looking settings become manual tasks naming the setting. Settings are read for
/// their names and Key Vault references only.
/// </summary>
/// <remarks>Web: POST config/appsettings/list; GET/PUT basicPublishingCredentialsPolicies/{scm|ftp}. Source: azure-rest-api-specs
/// WebApps.json. Host keys: <see cref="FunctionHostKeys"/>; Key Vault secrets: <see cref="KeyVaultSecretRotation"/>.</remarks>
public sealed class WebAppCredentials(ArmResources arm, KeyVaultSecretRotation vaults, ResourceIdentities identities, IOptions<ContainmentPolicy> policy) : ICredentialHandler
{
    private static readonly string[] SecretWords = ["KEY", "SECRET", "TOKEN", "PASSWORD", "PWD", "CONNECTIONSTRING", "SAS", "APIKEY"];

    private readonly FunctionHostKeys _hostKeys = new(arm);

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
                changes.Add(new DisableBasicAuth($"{id}/basicPublishingCredentialsPolicies/{protocol}",
                    $"Turn off basic-auth {protocol.ToUpperInvariant()} publishing credentials of {ResourceTypes.NameOf(id)}"));
            }
        }

        if (site.Kind?.Contains("functionapp", StringComparison.OrdinalIgnoreCase) == true)
        {
            foreach (var (type, name, fingerprint) in await _hostKeys.ListAsync(site.Id, cancellationToken))
            {
                evidence.Add(new Evidence($"Host key {type}/{name}", fingerprint));
                changes.Add(new RegenerateHostKey(site.Id, $"Regenerate the Functions {type} '{name}' (old {fingerprint})", type, name, fingerprint));
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

    public Task<ChangeOutcome> ApplyAsync(StepContext step, PlannedChange change, CancellationToken cancellationToken) => change switch
    {
        DisableBasicAuth basicAuth => DisableBasicAuthAsync(basicAuth, cancellationToken),
        RegenerateHostKey hostKey => _hostKeys.RegenerateAsync(hostKey, cancellationToken),
        RotateKeyVaultSecret secret => vaults.ApplyAsync(secret, cancellationToken),
        _ => throw new InvalidOperationException($"3.b does not make '{change.Kind}' changes on a site."),
    };

    public async Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var change in plan.Changes)
        {
            var problem = change switch
            {
                DisableBasicAuth when !await BasicAuthOffAsync(change.ResourceId, cancellationToken) => $"{ResourceTypes.NameOf(change.ResourceId)} basic auth is allowed",
                RegenerateHostKey hostKey when await _hostKeys.StillValidAsync(hostKey, cancellationToken) => $"host key {hostKey.KeyName} still validates",
                RotateKeyVaultSecret secret when !await vaults.IsRotatedAsync(secret, cancellationToken) => $"secret {secret.Secret} still has an old version enabled or no new one",
                _ => null,
            };
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }

        return problems.Count == 0
            ? Results.Verified(step, "Basic auth off, old host keys no longer match any current key (fingerprints), old secret versions disabled with a new one enabled.")
            : Results.Mismatch(step, string.Join("; ", problems) + ".");
    }

    public async Task<JsonElement> StateAsync(StepContext step, CancellationToken cancellationToken) =>
        Snapshot.Of(new { hostKeys = (await arm.GetAsync(step.Target.Id, cancellationToken)).Kind?.Contains("functionapp", StringComparison.OrdinalIgnoreCase) == true
            ? (await _hostKeys.ListAsync(step.Target.Id, cancellationToken)).Select(k => $"{k.Type}/{k.Name} {k.Fingerprint}").ToList()
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
            changes.Add(new RotateKeyVaultSecret($"https://{reference.Vault}.vault.azure.net/secrets/{reference.Secret}",
                $"New random version of {reference.Vault}/{reference.Secret}, then disable version(s) {string.Join(", ", stale)}", reference.Vault, reference.Secret, stale));
            if (reference.Version is not null)
            {
                warnings.Add(ManualTask.Of($"the app setting {setting} of {site.Name} pins version {reference.Version}: point it at the new version (or drop the version)."));
            }
        }
    }

    private async Task<ChangeOutcome> DisableBasicAuthAsync(DisableBasicAuth change, CancellationToken cancellationToken)
    {
        if (await BasicAuthOffAsync(change.ResourceId, cancellationToken))
        {
            return ChangeOutcome.AlreadyDone;
        }

        await arm.PutAsync(change.ResourceId, new JsonObject { ["properties"] = new JsonObject { ["allow"] = false } }, cancellationToken);
        return ChangeOutcome.Done;
    }

    private async Task<bool> BasicAuthOffAsync(string policyId, CancellationToken cancellationToken) =>
        (await arm.ReadAsync(policyId, cancellationToken))?["properties"]?["allow"]?.GetValue<bool>() == false;
}
