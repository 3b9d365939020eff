using Microsoft.Graph;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity.Credentials;

/// <summary>Remove one federated identity credential (workload identity federation) by its id.</summary>
public sealed record RemoveFederatedCredential(string ResourceId, string Description, AppObjectKind Object, string ObjectId)
    : RemoveCredential(ResourceId, Description, Object, ObjectId);

/// <summary>2.c's federated identity credentials.</summary>
/// <remarks>Graph: DELETE /applications/{id}/federatedIdentityCredentials/{id}, DELETE /servicePrincipals/{id}/federatedIdentityCredentials/{id}.</remarks>
public static class FederatedCredentials
{
    public const string Kind = "remove-federated-credential";

    public static Task RemoveAsync(GraphServiceClient graph, RemoveFederatedCredential federated, CancellationToken cancellationToken) =>
        federated.Object == AppObjectKind.Application
            ? graph.Applications[federated.ObjectId].FederatedIdentityCredentials[federated.ResourceId].DeleteAsync(cancellationToken: cancellationToken)
            : graph.ServicePrincipals[federated.ObjectId].FederatedIdentityCredentials[federated.ResourceId].DeleteAsync(cancellationToken: cancellationToken);
}
