using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity.Credentials;

/// <summary>Remove one certificate (key credential) by its key id.</summary>
public sealed record RemoveCertificate(string ResourceId, string Description, AppObjectKind Object, string ObjectId)
    : RemoveCredential(ResourceId, Description, Object, ObjectId);

/// <summary>
/// 2.c's certificates. Removed by PATCHing keyCredentials with the others sent back with their public key (removeKey
/// would need a proof signed by a registered certificate's private key, which the playbook does not hold): the
/// collection is replaced whole: one PATCH per object removes every planned certificate, each with its own outcome.
/// </summary>
/// <remarks>Graph: GET /applications/{id} and /servicePrincipals/{id} ($select=keyCredentials returns the keys), PATCH keyCredentials.</remarks>
public static class Certificates
{
    public const string Kind = "remove-certificate";

    /// <summary>
    /// Removes <paramref name="certificate"/> with the other planned ones of its object (<paramref name="planned"/>, those
    /// present before apply): the first of them sends the PATCH, the others find themselves gone and send nothing.
    /// </summary>
    public static async Task<ChangeOutcome> RemoveAsync(GraphServiceClient graph, RemoveCertificate certificate, IReadOnlyList<RemoveCertificate> planned, CancellationToken cancellationToken)
    {
        var current = await CertificatesAsync(graph, certificate.Object, certificate.ObjectId, cancellationToken);
        if (!current.Any(k => string.Equals(k.KeyId?.ToString(), certificate.ResourceId, StringComparison.OrdinalIgnoreCase)))
        {
            // Present before this apply, gone now: removed by the PATCH of a certificate planned with it.
            return ChangeOutcome.Done;
        }

        var removed = planned.Select(c => Guid.Parse(c.ResourceId)).Append(Guid.Parse(certificate.ResourceId)).ToHashSet();
        var kept = current.Where(k => k.KeyId is { } id && !removed.Contains(id)).Select(Resend).ToList();
        if (certificate.Object == AppObjectKind.Application)
        {
            await graph.Applications[certificate.ObjectId].PatchAsync(new Application { KeyCredentials = kept }, cancellationToken: cancellationToken);
        }
        else
        {
            await graph.ServicePrincipals[certificate.ObjectId].PatchAsync(new ServicePrincipal { KeyCredentials = kept }, cancellationToken: cancellationToken);
        }

        return ChangeOutcome.Done;
    }

    /// <summary>A new model per certificate: the SDK's backing store would send nothing for an instance it read and did not see change.</summary>
    private static KeyCredential Resend(KeyCredential k) => new()
    {
        KeyId = k.KeyId,
        Type = k.Type,
        Usage = k.Usage,
        Key = k.Key,
        DisplayName = k.DisplayName,
        StartDateTime = k.StartDateTime,
        EndDateTime = k.EndDateTime,
        CustomKeyIdentifier = k.CustomKeyIdentifier,
    };

    private static async Task<IReadOnlyList<KeyCredential>> CertificatesAsync(GraphServiceClient graph, AppObjectKind kind, string objectId, CancellationToken cancellationToken) =>
        (kind == AppObjectKind.Application
            ? (await graph.Applications[objectId].GetAsync(r => r.QueryParameters.Select = ["id", "keyCredentials"], cancellationToken))?.KeyCredentials
            : (await graph.ServicePrincipals[objectId].GetAsync(r => r.QueryParameters.Select = ["id", "keyCredentials"], cancellationToken))?.KeyCredentials) ?? [];
}
