using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity.Credentials;

/// <summary>A planned removal of one credential from the app registration or the service principal (<paramref name="ObjectId"/>).</summary>
public abstract record RemoveCredential(string ResourceId, string Description, AppObjectKind Object, string ObjectId) : PlannedChange(ResourceId, Description);

/// <summary>
/// Every credential of an application, on its app registration (when it is in this tenant) and on its service
/// principal: metadata only, never a value. What 2.c plans from and journals before and after.
/// </summary>
public sealed record CredentialState(string? ApplicationId, IReadOnlyList<Credential> Credentials)
{
    public Credential? Find(PlannedChange change) => change is RemoveCredential removal
        ? Credentials.FirstOrDefault(c => c.Kind == change.Kind
            && string.Equals(c.Id, removal.ResourceId, StringComparison.OrdinalIgnoreCase)
            && string.Equals(c.ObjectId, removal.ObjectId, StringComparison.OrdinalIgnoreCase))
        : null;

    /// <summary>The journal's shape (release reads it): applicationObjectId and the credentials' metadata.</summary>
    public object Describe() => new { applicationObjectId = ApplicationId, credentials = Credentials };

    public static async Task<CredentialState> ReadAsync(GraphServiceClient graph, ApplicationDirectory apps, string spId, string? appId, CancellationToken cancellationToken)
    {
        var credentials = new List<Credential>();
        var application = await apps.FindApplicationAsync(appId, cancellationToken);
        if (application?.Id is { } appObjectId)
        {
            var app = await graph.Applications[appObjectId].GetAsync(r => r.QueryParameters.Select = ["id", "keyCredentials", "passwordCredentials"], cancellationToken);
            var federated = await graph.Applications[appObjectId].FederatedIdentityCredentials.GetAsync(cancellationToken: cancellationToken);
            credentials.AddRange(Describe(AppObjectKind.Application, appObjectId, app?.PasswordCredentials, app?.KeyCredentials, federated?.Value));
        }

        var sp = await graph.ServicePrincipals[spId].GetAsync(r => r.QueryParameters.Select = ["id", "keyCredentials", "passwordCredentials"], cancellationToken);
        var spFederated = await graph.ServicePrincipals[spId].FederatedIdentityCredentials.GetAsync(cancellationToken: cancellationToken);
        credentials.AddRange(Describe(AppObjectKind.ServicePrincipal, spId, sp?.PasswordCredentials, sp?.KeyCredentials, spFederated?.Value));
        return new CredentialState(application?.Id, credentials);
    }

    private static IEnumerable<Credential> Describe(
        AppObjectKind kind, string objectId, IEnumerable<PasswordCredential>? secrets, IEnumerable<KeyCredential>? certificates, IEnumerable<FederatedIdentityCredential>? federated)
    {
        foreach (var s in secrets ?? [])
        {
            yield return new Credential(kind, objectId, Secrets.Kind, s.KeyId.ToString()!, s.DisplayName, s.StartDateTime, s.EndDateTime, null);
        }

        foreach (var k in certificates ?? [])
        {
            yield return new Credential(kind, objectId, Certificates.Kind, k.KeyId.ToString()!, k.DisplayName, k.StartDateTime, k.EndDateTime, $"{k.Type}, {k.Usage}");
        }

        foreach (var f in federated ?? [])
        {
            yield return new Credential(kind, objectId, FederatedCredentials.Kind, f.Id!, f.Name, null, null, $"issuer {f.Issuer}, subject {f.Subject}");
        }
    }
}

/// <summary>A credential's metadata: never its value (secret text, private or public key, hint).</summary>
/// <param name="Kind">The kind of change that removes it ("remove-secret", "remove-certificate", "remove-federated-credential").</param>
public sealed record Credential(
    AppObjectKind Object, string ObjectId, string Kind, string Id, string? DisplayName, DateTimeOffset? StartDateTime, DateTimeOffset? EndDateTime, string? Info)
{
    private string What => Kind switch
    {
        Secrets.Kind => "Secret",
        Certificates.Kind => "Certificate",
        _ => "Federated credential",
    };

    private string Where => Object == AppObjectKind.Application ? "app registration" : "service principal";

    public string Label => $"{What} \"{DisplayName}\" ({Id}) on the {Where}";

    public string Detail => string.Join(", ", new[]
    {
        Info,
        StartDateTime is null ? null : $"valid {StartDateTime:u} to {EndDateTime:u}",
    }.OfType<string>());

    public PlannedChange ToChange()
    {
        var description = $"Remove the {What.ToLowerInvariant()} \"{DisplayName}\" ({Id}) from the {Where}" + (Detail.Length > 0 ? $" ({Detail})" : "");
        return Kind switch
        {
            Secrets.Kind => new RemoveSecret(Id, description, Object, ObjectId),
            Certificates.Kind => new RemoveCertificate(Id, description, Object, ObjectId),
            _ => new RemoveFederatedCredential(Id, description, Object, ObjectId),
        };
    }
}
