using System.Security.Cryptography;
using Azure.Security.KeyVault.Secrets;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.AzureResources;

namespace ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

/// <summary>The secret <see cref="Secret"/> of <see cref="Vault"/> (<c>resourceId</c> its URI) given a new random version, then
/// <see cref="OldVersions"/> disabled.</summary>
public sealed record RotateKeyVaultSecret(string ResourceId, string Description, string Vault, string Secret, IReadOnlyList<string> OldVersions)
    : PlannedChange(ResourceId, Description);

/// <summary>
/// A Key Vault secret the organisation generates itself: a new random version first (consumers reading "latest" keep working),
/// then every older version disabled. Versions are named, values never leave this class.
/// </summary>
/// <remarks>Azure.Security.KeyVault.Secrets: GetPropertiesOfSecretVersionsAsync, SetSecretAsync, UpdateSecretPropertiesAsync.
/// Source: learn.microsoft.com/azure/key-vault/secrets/about-secrets; data plane 7.5 secrets.json (SetSecret, UpdateSecret, GetSecretVersions).</remarks>
public sealed class KeyVaultSecretRotation(AzureClients clients)
{
    /// <summary>A reference in an app setting: @Microsoft.KeyVault(SecretUri=https://{vault}.vault.azure.net/secrets/{name}[/{version}]) or (VaultName=…;SecretName=…).</summary>
    public static (string Vault, string Secret, string? Version)? ParseReference(string value)
    {
        const string prefix = "@Microsoft.KeyVault(";
        if (!value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || !value.EndsWith(')'))
        {
            return null;
        }

        var parts = value[prefix.Length..^1].Split(';').Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (parts.TryGetValue("SecretUri", out var uri) && Uri.TryCreate(uri, UriKind.Absolute, out var parsed)
            && parsed.Host.EndsWith(".vault.azure.net", StringComparison.OrdinalIgnoreCase))
        {
            var segments = parsed.AbsolutePath.Trim('/').Split('/');
            return segments.Length >= 2 && segments[0] == "secrets"
                ? (parsed.Host[..parsed.Host.IndexOf('.', StringComparison.Ordinal)], segments[1], segments.Length > 2 ? segments[2] : null)
                : null;
        }

        return parts.TryGetValue("VaultName", out var vault) && parts.TryGetValue("SecretName", out var secret)
            ? (vault, secret, parts.GetValueOrDefault("SecretVersion"))
            : null;
    }

    /// <summary>Every version with whether it is enabled, oldest first.</summary>
    public async Task<IReadOnlyList<(string Version, bool Enabled, DateTimeOffset? Created)>> VersionsAsync(string vault, string secret, CancellationToken cancellationToken)
    {
        var versions = new List<(string, bool, DateTimeOffset?)>();
        await foreach (var properties in Client(vault).GetPropertiesOfSecretVersionsAsync(secret, cancellationToken))
        {
            versions.Add((properties.Version, properties.Enabled ?? true, properties.CreatedOn));
        }

        return [.. versions.OrderBy(v => v.Item3)];
    }

    /// <summary>The rotation, unless done already: a version not among the old ones is enabled and every old one is disabled.</summary>
    public async Task<ChangeOutcome> ApplyAsync(RotateKeyVaultSecret change, CancellationToken cancellationToken)
    {
        if (await IsRotatedAsync(change, cancellationToken))
        {
            return ChangeOutcome.AlreadyDone;
        }

        await RotateAsync(change.Vault, change.Secret, change.OldVersions, cancellationToken);
        return ChangeOutcome.Done;
    }

    public async Task<bool> IsRotatedAsync(RotateKeyVaultSecret change, CancellationToken cancellationToken)
    {
        var versions = await VersionsAsync(change.Vault, change.Secret, cancellationToken);
        return versions.Any(v => v.Enabled && !change.OldVersions.Contains(v.Version)) && versions.Where(v => change.OldVersions.Contains(v.Version)).All(v => !v.Enabled);
    }

    /// <summary>Writes a new random version (same content type) and disables <paramref name="oldVersions"/>; returns the new version's id.</summary>
    public async Task<string> RotateAsync(string vault, string secret, IReadOnlyCollection<string> oldVersions, CancellationToken cancellationToken)
    {
        var client = Client(vault);
        var fresh = new KeyVaultSecret(secret, Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
        fresh.Properties.Tags["rotated-by"] = "ResponseFunctions";
        var created = (await client.SetSecretAsync(fresh, cancellationToken)).Value.Properties.Version;
        await DisableAsync(vault, secret, oldVersions, cancellationToken);
        return created;
    }

    public async Task DisableAsync(string vault, string secret, IReadOnlyCollection<string> versions, CancellationToken cancellationToken)
    {
        var client = Client(vault);
        await foreach (var properties in client.GetPropertiesOfSecretVersionsAsync(secret, cancellationToken))
        {
            if (versions.Contains(properties.Version) && properties.Enabled != false)
            {
                properties.Enabled = false;
                await client.UpdateSecretPropertiesAsync(properties, cancellationToken);
            }
        }
    }

    private SecretClient Client(string vault) => clients.CreateSecretClient(new Uri($"https://{vault}.vault.azure.net/"));
}
