using Microsoft.Graph;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity.Access;

/// <summary>Remove the application permission (app role assignment) <paramref name="ResourceId"/> the application (<paramref name="ServicePrincipalId"/>) holds on another API.</summary>
public sealed record RemoveApplicationPermission(string ResourceId, string Description, string ServicePrincipalId) : PlannedChange(ResourceId, Description)
{
    public const string Discriminator = "remove-application-permission";
}

/// <summary>An application permission the app holds: kept when the baseline lists its value ("User.Read.All").</summary>
public sealed record ApplicationPermission(string Id, string Label, string Detail, string Value)
    : AccessItem(RemoveApplicationPermission.Discriminator, Id, Label, Detail, [])
{
    public override bool IsLegitimate(ApplicationBaseline? baseline) =>
        baseline is not null && baseline.ApplicationPermissions.Contains(Value, StringComparer.OrdinalIgnoreCase);

    public override PlannedChange ToChange(string servicePrincipalId) => new RemoveApplicationPermission(Id, $"Revoke the {Label}", servicePrincipalId);
}

/// <summary>2.b's third kind of access: the application permissions the app holds on other APIs.</summary>
/// <remarks>Graph: GET/DELETE /servicePrincipals/{id}/appRoleAssignments.</remarks>
public static class ApplicationPermissions
{
    public static async Task<IEnumerable<AccessItem>> ReadAsync(ApplicationDirectory apps, PermissionNames names, string servicePrincipalId, CancellationToken cancellationToken)
    {
        var items = new List<AccessItem>();
        foreach (var p in await apps.ApplicationPermissionsAsync(servicePrincipalId, cancellationToken))
        {
            var value = await names.AppRoleAsync(p.ResourceId, p.AppRoleId, cancellationToken);
            items.Add(new ApplicationPermission(p.Id!, $"Application permission {value} on {p.ResourceDisplayName ?? p.ResourceId.ToString()}", $"granted {p.CreatedDateTime:u}", value));
        }

        return items;
    }

    public static Task RemoveAsync(GraphServiceClient graph, RemoveApplicationPermission change, CancellationToken cancellationToken) =>
        graph.ServicePrincipals[change.ServicePrincipalId].AppRoleAssignments[change.ResourceId].DeleteAsync(cancellationToken: cancellationToken);
}
