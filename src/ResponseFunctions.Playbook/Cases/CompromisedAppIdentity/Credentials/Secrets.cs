using Microsoft.Graph;
using AppRemovePassword = Microsoft.Graph.Applications.Item.RemovePassword.RemovePasswordPostRequestBody;
using SpRemovePassword = Microsoft.Graph.ServicePrincipals.Item.RemovePassword.RemovePasswordPostRequestBody;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity.Credentials;

/// <summary>Remove one client secret (password credential) by its key id.</summary>
public sealed record RemoveSecret(string ResourceId, string Description, AppObjectKind Object, string ObjectId)
    : RemoveCredential(ResourceId, Description, Object, ObjectId);

/// <summary>2.c's client secrets.</summary>
/// <remarks>Graph: POST /applications/{id}/removePassword, POST /servicePrincipals/{id}/removePassword.</remarks>
public static class Secrets
{
    public const string Kind = "remove-secret";

    public static async Task RemoveAsync(GraphServiceClient graph, RemoveSecret secret, CancellationToken cancellationToken)
    {
        var keyId = Guid.Parse(secret.ResourceId);
        if (secret.Object == AppObjectKind.Application)
        {
            await graph.Applications[secret.ObjectId].RemovePassword.PostAsync(new AppRemovePassword { KeyId = keyId }, cancellationToken: cancellationToken);
        }
        else
        {
            await graph.ServicePrincipals[secret.ObjectId].RemovePassword.PostAsync(new SpRemovePassword { KeyId = keyId }, cancellationToken: cancellationToken);
        }
    }
}
