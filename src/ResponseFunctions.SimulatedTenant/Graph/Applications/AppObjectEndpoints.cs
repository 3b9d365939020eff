using System.Security.Cryptography;
using Microsoft.Graph.Models;
using ResponseFunctions.SimulatedTenant.Http;
using AddPasswordBody = Microsoft.Graph.Applications.Item.AddPassword.AddPasswordPostRequestBody;
using RemovePasswordBody = Microsoft.Graph.Applications.Item.RemovePassword.RemovePasswordPostRequestBody;

namespace ResponseFunctions.SimulatedTenant.Graph.Applications;

/// <summary>
/// What /applications/{id} and /servicePrincipals/{id} share: secrets (addPassword/removePassword), federated identity
/// credentials and owners (only through $ref: DELETE …/owners/{id} without $ref would delete the owner itself in the
/// real service, so it is deliberately left unrouted here and answers 400).
/// Certificates change through PATCH keyCredentials (see <see cref="ReplaceKeyCredentials"/>); removeKey, which needs a
/// proof-of-possession JWT signed by a registered certificate, is not simulated.
/// </summary>
internal static class AppObjectEndpoints
{
    public const string Applications = "applications";
    public const string ServicePrincipals = "servicePrincipals";

    public static void Map(GraphRouter router)
    {
        foreach (var collection in new[] { Applications, ServicePrincipals })
        {
            router
                .Map("POST", $"{collection}/{{id}}/addPassword", r => AddPassword(r, collection))
                .Map("POST", $"{collection}/{{id}}/removePassword", r => RemovePassword(r, collection))
                .Map("GET", $"{collection}/{{id}}/federatedIdentityCredentials", r => ListFederated(r, collection))
                .Map("GET", $"{collection}/{{id}}/federatedIdentityCredentials/{{fic}}", r => GetFederated(r, collection))
                .Map("DELETE", $"{collection}/{{id}}/federatedIdentityCredentials/{{fic}}", r => DeleteFederated(r, collection))
                .Map("GET", $"{collection}/{{id}}/owners", r => ListOwners(r, collection))
                .Map("POST", $"{collection}/{{id}}/owners/$ref", r => AddOwner(r, collection))
                .Map("DELETE", $"{collection}/{{id}}/owners/{{owner}}/$ref", r => RemoveOwner(r, collection));
        }
    }

    /// <summary>The credential and owner lists of one application or service principal (live references: use under the state lock).</summary>
    internal sealed record AppObject(
        List<SimKeyCredential> KeyCredentials,
        List<SimPasswordCredential> PasswordCredentials,
        List<SimFederatedIdentityCredential> FederatedIdentityCredentials,
        List<string> Owners);

    internal static AppObject Require(TenantModel model, string collection, string id)
    {
        if (collection == Applications)
        {
            var app = model.Applications.FirstOrDefault(a => AppModels.Same(a.Id, id)) ?? throw GraphException.DirectoryObjectNotFound(id);
            return new AppObject(app.KeyCredentials, app.PasswordCredentials, app.FederatedIdentityCredentials, app.Owners);
        }

        var sp = model.ServicePrincipals.FirstOrDefault(s => AppModels.Same(s.Id, id)) ?? throw GraphException.DirectoryObjectNotFound(id);
        return new AppObject(sp.KeyCredentials, sp.PasswordCredentials, sp.FederatedIdentityCredentials, sp.Owners);
    }

    /// <summary>
    /// PATCH keyCredentials replaces the whole collection. Every certificate sent must carry its public key: one already
    /// registered is kept only if sent back with the same key, and anything left out is removed.
    /// </summary>
    internal static List<SimKeyCredential> ReplaceKeyCredentials(IReadOnlyList<SimKeyCredential> current, IEnumerable<KeyCredential> sent, DateTimeOffset now)
    {
        var result = new List<SimKeyCredential>();
        foreach (var credential in sent)
        {
            if (credential.Key is not { Length: > 0 } key)
            {
                throw GraphException.DirectoryBadRequest(
                    $"Key credential {credential.KeyId} has no key: send back every certificate to keep with its public key (read it with $select=keyCredentials).");
            }

            var base64 = Convert.ToBase64String(key);
            var existing = credential.KeyId is { } keyId ? current.FirstOrDefault(k => AppModels.Same(k.KeyId, keyId.ToString())) : null;
            if (existing is not null && existing.Key != base64)
            {
                throw GraphException.DirectoryBadRequest($"Key credential {credential.KeyId}: the key does not match the registered certificate.");
            }

            result.Add(existing ?? new SimKeyCredential
            {
                KeyId = (credential.KeyId ?? Guid.NewGuid()).ToString(),
                DisplayName = credential.DisplayName,
                Type = credential.Type ?? "AsymmetricX509Cert",
                Usage = credential.Usage ?? "Verify",
                StartDateTime = credential.StartDateTime ?? now,
                EndDateTime = credential.EndDateTime ?? now.AddYears(1),
                CustomKeyIdentifier = credential.CustomKeyIdentifier is { } thumbprint ? Convert.ToBase64String(thumbprint) : null,
                Key = base64,
            });
        }

        if (result.GroupBy(k => k.KeyId, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1))
        {
            throw GraphException.DirectoryBadRequest("keyCredentials lists the same keyId twice.");
        }

        return result;
    }

    /// <summary>The secret is returned once, here, and never stored: the state keeps its hint (first three characters) only.</summary>
    private static GraphResponse AddPassword(GraphRequest request, string collection)
    {
        var body = request.BodyAs(AddPasswordBody.CreateFromDiscriminatorValue);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('/', '_').Replace('+', '-');
        var credential = new SimPasswordCredential
        {
            KeyId = Guid.NewGuid().ToString(),
            DisplayName = body.PasswordCredential?.DisplayName,
            Hint = secret[..3],
            StartDateTime = body.PasswordCredential?.StartDateTime ?? request.Now,
            EndDateTime = body.PasswordCredential?.EndDateTime ?? request.Now.AddYears(2),
        };
        request.State.Mutate(m => Require(m, collection, request["id"]).PasswordCredentials.Add(credential));
        var created = AppModels.ToGraph(credential);
        created.SecretText = secret;
        return GraphResponse.Ok(GraphJson.Entity(created, "microsoft.graph.passwordCredential"));
    }

    private static GraphResponse RemovePassword(GraphRequest request, string collection)
    {
        var body = request.BodyAs(RemovePasswordBody.CreateFromDiscriminatorValue);
        if (body.KeyId is not { } keyId)
        {
            throw GraphException.DirectoryBadRequest("keyId is required.");
        }

        request.State.Mutate(m =>
        {
            var secrets = Require(m, collection, request["id"]).PasswordCredentials;
            if (secrets.RemoveAll(p => AppModels.Same(p.KeyId, keyId.ToString())) == 0)
            {
                // Simulator's choice (the real wording was not verified): an unknown keyId is a 404, as for other absent objects.
                throw new GraphException(404, "Request_ResourceNotFound", $"No password credential with keyId {keyId}.");
            }
        });
        return GraphResponse.NoContent();
    }

    private static GraphResponse ListFederated(GraphRequest request, string collection)
    {
        var items = request.State.Read(m => Require(m, collection, request["id"]).FederatedIdentityCredentials.Select(AppModels.ToGraph).ToList());
        return GraphResponse.Ok(GraphJson.Collection(items, $"{collection}('{request["id"]}')/federatedIdentityCredentials"));
    }

    private static GraphResponse GetFederated(GraphRequest request, string collection)
    {
        var item = request.State.Read(m => FindFederated(Require(m, collection, request["id"]), request["fic"]) is { } f ? AppModels.ToGraph(f) : null)
            ?? throw FederatedNotFound(request["fic"]);
        return GraphResponse.Ok(GraphJson.Entity(item, $"{collection}('{request["id"]}')/federatedIdentityCredentials/$entity"));
    }

    private static GraphResponse DeleteFederated(GraphRequest request, string collection)
    {
        request.State.Mutate(m =>
        {
            var holder = Require(m, collection, request["id"]);
            var item = FindFederated(holder, request["fic"]) ?? throw FederatedNotFound(request["fic"]);
            holder.FederatedIdentityCredentials.Remove(item);
        });
        return GraphResponse.NoContent();
    }

    private static GraphResponse ListOwners(GraphRequest request, string collection)
    {
        var owners = request.State.Read(m => Require(m, collection, request["id"]).Owners
            .Select(id => AppModels.Owner(m, id))
            .OfType<DirectoryObject>()
            .ToList());
        return GraphResponse.Ok(GraphJson.Collection(owners, "directoryObjects"));
    }

    private static GraphResponse AddOwner(GraphRequest request, string collection)
    {
        var reference = request.BodyAs(ReferenceCreate.CreateFromDiscriminatorValue);
        var ownerId = reference.OdataId is { } odataId && Uri.TryCreate(odataId, UriKind.Absolute, out var uri)
            ? uri.Segments[^1].Trim('/')
            : throw GraphException.DirectoryBadRequest("@odata.id must be the URL of the directory object to add, e.g. https://graph.microsoft.com/v1.0/directoryObjects/{id}.");
        request.State.Mutate(m =>
        {
            var holder = Require(m, collection, request["id"]);
            if (AppModels.Owner(m, ownerId) is null)
            {
                throw GraphException.DirectoryObjectNotFound(ownerId);
            }

            if (holder.Owners.Contains(ownerId, StringComparer.OrdinalIgnoreCase))
            {
                throw GraphException.DirectoryBadRequest("One or more added object references already exist for the following modified properties: 'owners'.");
            }

            holder.Owners.Add(ownerId);
        });
        return GraphResponse.NoContent();
    }

    private static GraphResponse RemoveOwner(GraphRequest request, string collection)
    {
        request.State.Mutate(m =>
        {
            var owners = Require(m, collection, request["id"]).Owners;
            if (owners.RemoveAll(o => AppModels.Same(o, request["owner"])) == 0)
            {
                throw new GraphException(404, "Request_ResourceNotFound",
                    "One or more removed object references do not exist for the following modified properties: 'owners'.");
            }
        });
        return GraphResponse.NoContent();
    }

    private static SimFederatedIdentityCredential? FindFederated(AppObject holder, string idOrName) =>
        holder.FederatedIdentityCredentials.FirstOrDefault(f => AppModels.Same(f.Id, idOrName));

    private static GraphException FederatedNotFound(string id) =>
        new(404, "Request_ResourceNotFound", $"Federated identity credential '{id}' does not exist.");
}
