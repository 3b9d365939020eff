using Microsoft.Graph;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity.Access;

/// <summary>Revoke the delegated permission grant (oauth2PermissionGrant) <paramref name="ResourceId"/>, whole.</summary>
public sealed record RemoveDelegatedGrant(string ResourceId, string Description) : PlannedChange(ResourceId, Description)
{
    public const string Discriminator = "remove-delegated-grant";
}

/// <summary>A delegated consent, for all users (admin consent) or one user: kept only when the baseline lists every scope.</summary>
public sealed record DelegatedConsent(string Id, string Label, string Detail, IReadOnlyList<string> Scopes, bool ForAllUsers, IReadOnlyList<string> AffectedUsers)
    : AccessItem(RemoveDelegatedGrant.Discriminator, Id, Label, Detail, AffectedUsers)
{
    public override bool IsLegitimate(ApplicationBaseline? baseline) =>
        baseline is not null && Scopes.All(v => baseline.DelegatedPermissions.Contains(v, StringComparer.OrdinalIgnoreCase));

    /// <summary>A consent with any scope outside the baseline is revoked whole: a narrower one can be granted again.</summary>
    public override PlannedChange ToChange(string servicePrincipalId) => new RemoveDelegatedGrant(Id, $"Revoke the {Label} ({Detail})");
}

/// <summary>2.b's second kind of access: the delegated consents the app holds.</summary>
/// <remarks>Graph: GET /oauth2PermissionGrants?$filter=clientId eq, DELETE /oauth2PermissionGrants/{id}.</remarks>
public static class DelegatedConsents
{
    public static async Task<IEnumerable<AccessItem>> ReadAsync(ApplicationDirectory apps, PermissionNames names, string servicePrincipalId, CancellationToken cancellationToken)
    {
        var items = new List<AccessItem>();
        foreach (var g in await apps.DelegatedGrantsAsync(servicePrincipalId, cancellationToken))
        {
            var scopes = (g.Scope ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var forAll = g.ConsentType == "AllPrincipals";
            var who = forAll ? "all users (admin consent)" : $"user {g.PrincipalId}";
            items.Add(new DelegatedConsent(g.Id!, $"Delegated consent to {await names.ResourceNameAsync(g.ResourceId ?? "?", cancellationToken)} for {who}",
                $"scopes {string.Join(' ', scopes)}", scopes, forAll, g.ConsentType == "Principal" && g.PrincipalId is not null ? [g.PrincipalId] : []));
        }

        return items;
    }

    public static Task RemoveAsync(GraphServiceClient graph, RemoveDelegatedGrant change, CancellationToken cancellationToken) =>
        graph.Oauth2PermissionGrants[change.ResourceId].DeleteAsync(cancellationToken: cancellationToken);
}
