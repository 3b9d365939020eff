using System.Text.Json;
using System.Text.Json.Nodes;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.AzureCloud;

/// <summary>
/// The Key Vault secrets data plane (api-version 7.5), one vault per host: <c>https://{vault}.vault.azure.net/…</c> reaches
/// the simulator as <c>/keyvault/{vault}/…</c>. Challenge-based authentication as the service does it: a request without a
/// token gets 401 and a <c>WWW-Authenticate</c> naming the authority and resource. Secret values are returned only where the
/// service returns them (get, set); versions lists and updates never carry one.
/// </summary>
/// <remarks>Sources: azure-rest-api-specs keyvault/data-plane/Microsoft.KeyVault/stable/7.5/secrets.json (SetSecret, UpdateSecret,
/// GetSecret, GetSecretVersions); learn.microsoft.com/azure/key-vault/general/authentication-requests-and-responses.</remarks>
internal sealed class KeyVaultPlane : ISimulatedPlane
{
    public const string Prefix = "/keyvault";

    public bool Handles(string path) => path.StartsWith(Prefix + "/", StringComparison.OrdinalIgnoreCase);

    public string ErrorBody(int statusCode, string code, string message) => ArmReply.ErrorBody(code, message).ToJsonString();

    public Task<int> HandleAsync(PlaneContext context) => Handle(context).WriteAsync(context.Http);

    private static ArmReply Handle(PlaneContext context)
    {
        var request = context.Http.Request;
        var segments = context.Path[(Prefix.Length + 1)..].Trim('/').Split('/');
        var vaultName = segments[0];
        if (!request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var tenant = context.Services.State.Read(m => m.TenantId);
            return new ArmReply(401, ArmReply.ErrorBody("Unauthorized", "AKV10000: Request is missing a Bearer or PoP token."),
                new Dictionary<string, string>
                {
                    ["WWW-Authenticate"] = $"Bearer authorization=\"https://login.microsoftonline.com/{tenant}\", resource=\"https://vault.azure.net\"",
                });
        }

        if (request.Query["api-version"].ToString() is not ("7.5" or "7.6"))
        {
            return ArmReply.Error(400, "BadParameter", "The specified version of the service is not supported (expected 7.5 or 7.6).");
        }

        if (segments.Length < 3 || !segments[1].Equals("secrets", StringComparison.OrdinalIgnoreCase))
        {
            return ArmReply.Error(404, "NotFound", $"{request.Method} {context.Path} is not simulated (secrets only).");
        }

        var name = segments[2];
        var tail = segments.Length > 3 ? segments[3] : "";
        var now = context.Services.Time.GetUtcNow();
        JsonNode? body;
        try
        {
            body = string.IsNullOrWhiteSpace(context.Body) ? null : JsonNode.Parse(context.Body);
        }
        catch (JsonException)
        {
            return ArmReply.Error(400, "BadParameter", "The request body is not valid JSON.");
        }

        return context.Services.State.Mutate(model =>
        {
            var vault = model.Azure.Vaults.FirstOrDefault(v => ArmPath.Same(v.Name, vaultName));
            if (vault is null)
            {
                return ArmReply.Error(404, "VaultNotFound", $"Vault {vaultName} was not found.");
            }

            var versions = vault.Secrets.Where(s => ArmPath.Same(s.Name, name)).OrderBy(s => s.Created).ToList();
            return (request.Method, tail) switch
            {
                ("GET", "versions") => versions.Count == 0
                    ? NotFound(vaultName, name)
                    : new ArmReply(200, new JsonObject { ["value"] = new JsonArray([.. versions.Select(v => (JsonNode)Item(vaultName, v))]), ["nextLink"] = null }),
                ("GET", var version) => Get(vaultName, name, versions, version),
                ("PUT", "") => Set(vault, name, body, now),
                ("PATCH", { Length: > 0 } version) => Update(vaultName, name, versions, version, body, now),
                _ => ArmReply.Error(405, "MethodNotAllowed", $"{request.Method} is not simulated on secrets."),
            };
        });
    }

    private static ArmReply Get(string vault, string name, List<SimSecretVersion> versions, string version)
    {
        var secret = version.Length == 0 ? versions.LastOrDefault() : versions.FirstOrDefault(v => ArmPath.Same(v.Version, version));
        if (secret is null)
        {
            return NotFound(vault, name);
        }

        return secret.Enabled
            ? new ArmReply(200, Bundle(vault, secret, withValue: true))
            : ArmReply.Error(403, "Forbidden", "Operation get is not allowed on a disabled secret.");
    }

    private static ArmReply Set(SimKeyVault vault, string name, JsonNode? body, DateTimeOffset now)
    {
        if (body?["value"]?.GetValue<string>() is not { } value)
        {
            return ArmReply.Error(400, "BadParameter", "Property 'value' is required.");
        }

        var secret = new SimSecretVersion
        {
            Name = name, Version = Guid.NewGuid().ToString("N"), Value = value, Created = now, Updated = now,
            ContentType = body["contentType"]?.GetValue<string>(), Enabled = body["attributes"]?["enabled"]?.GetValue<bool>() ?? true,
            Tags = body["tags"]?.AsObject().ToDictionary(t => t.Key, t => t.Value?.GetValue<string>() ?? "") ?? [],
        };
        vault.Secrets.Add(secret);
        return new ArmReply(200, Bundle(vault.Name, secret, withValue: true));
    }

    private static ArmReply Update(string vault, string name, List<SimSecretVersion> versions, string version, JsonNode? body, DateTimeOffset now)
    {
        var secret = versions.FirstOrDefault(v => ArmPath.Same(v.Version, version));
        if (secret is null)
        {
            return NotFound(vault, name);
        }

        if (body?["attributes"]?["enabled"] is JsonValue enabled)
        {
            secret.Enabled = enabled.GetValue<bool>();
        }

        if (body?["contentType"]?.GetValue<string>() is { } contentType)
        {
            secret.ContentType = contentType;
        }

        secret.Updated = now;
        return new ArmReply(200, Bundle(vault, secret, withValue: false));
    }

    private static ArmReply NotFound(string vault, string name) =>
        ArmReply.Error(404, "SecretNotFound", $"A secret with (name/id) {name} was not found in this key vault ({vault}).");

    private static JsonObject Item(string vault, SimSecretVersion secret) => new()
    {
        ["id"] = $"https://{vault}.vault.azure.net/secrets/{secret.Name}/{secret.Version}",
        ["attributes"] = Attributes(secret),
        ["contentType"] = secret.ContentType,
        ["tags"] = new JsonObject([.. secret.Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))]),
    };

    private static JsonObject Bundle(string vault, SimSecretVersion secret, bool withValue)
    {
        var bundle = Item(vault, secret);
        if (withValue)
        {
            bundle["value"] = secret.Value;
        }

        return bundle;
    }

    private static JsonObject Attributes(SimSecretVersion secret) => new()
    {
        ["enabled"] = secret.Enabled,
        ["created"] = secret.Created.ToUnixTimeSeconds(),
        ["updated"] = secret.Updated.ToUnixTimeSeconds(),
        ["recoveryLevel"] = "Recoverable+Purgeable",
    };
}
