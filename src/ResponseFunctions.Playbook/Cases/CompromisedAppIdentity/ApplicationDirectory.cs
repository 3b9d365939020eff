using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;

/// <summary>
/// The reads the Case 2 actions share. A step's target is the service principal (object id); the app registration
/// exists only when the application is registered in this tenant, and is found by appId.
/// </summary>
public sealed class ApplicationDirectory(GraphServiceClient graph, DirectoryReader directory, IOptions<ContainmentPolicy> policy)
{
    private static readonly string[] PrincipalProperties =
        ["id", "appId", "displayName", "accountEnabled", "appRoleAssignmentRequired", "appOwnerOrganizationId", "servicePrincipalType", "appRoles"];

    public async Task<ServicePrincipal> GetServicePrincipalAsync(string id, CancellationToken cancellationToken) =>
        await graph.ServicePrincipals[id].GetAsync(r => r.QueryParameters.Select = PrincipalProperties, cancellationToken)
        ?? throw new InvalidOperationException($"Service principal {id} no longer exists.");

    /// <summary>The app registration of <paramref name="appId"/> in this tenant, or null for another tenant's (multi-tenant) application.</summary>
    public async Task<Application?> FindApplicationAsync(string? appId, CancellationToken cancellationToken)
    {
        if (appId is null)
        {
            return null;
        }

        var page = await graph.Applications.GetAsync(r =>
        {
            r.QueryParameters.Filter = ODataFilter.Eq("appId", appId);
            r.QueryParameters.Select = ["id", "appId", "displayName"];
        }, cancellationToken);
        return page?.Value is [var single] ? single : null;
    }

    /// <summary>The configured baseline of the application, or null: then nothing it has is known to be legitimate.</summary>
    public ApplicationBaseline? Baseline(string? appId) =>
        policy.Value.ApplicationBaselines.FirstOrDefault(b => string.Equals(b.AppId, appId, StringComparison.OrdinalIgnoreCase));

    /// <summary>Who is assigned to the app (users, groups, other apps): the app as resource.</summary>
    public async Task<IReadOnlyList<AppRoleAssignment>> AssignedToAsync(string servicePrincipalId, CancellationToken cancellationToken) =>
        await directory.AllPagesAsync<AppRoleAssignment, AppRoleAssignmentCollectionResponse>(
            await graph.ServicePrincipals[servicePrincipalId].AppRoleAssignedTo.GetAsync(cancellationToken: cancellationToken), cancellationToken);

    /// <summary>The application permissions the app holds on other APIs.</summary>
    public async Task<IReadOnlyList<AppRoleAssignment>> ApplicationPermissionsAsync(string servicePrincipalId, CancellationToken cancellationToken) =>
        await directory.AllPagesAsync<AppRoleAssignment, AppRoleAssignmentCollectionResponse>(
            await graph.ServicePrincipals[servicePrincipalId].AppRoleAssignments.GetAsync(cancellationToken: cancellationToken), cancellationToken);

    /// <summary>The delegated consents the app holds (for all users or for one).</summary>
    public async Task<IReadOnlyList<OAuth2PermissionGrant>> DelegatedGrantsAsync(string servicePrincipalId, CancellationToken cancellationToken) =>
        await directory.AllPagesAsync<OAuth2PermissionGrant, OAuth2PermissionGrantCollectionResponse>(
            await graph.Oauth2PermissionGrants.GetAsync(r => r.QueryParameters.Filter = ODataFilter.Eq("clientId", servicePrincipalId), cancellationToken),
            cancellationToken);

    public async Task<IReadOnlyList<DirectoryObject>> OwnersAsync(AppObjectKind kind, string id, CancellationToken cancellationToken)
    {
        var page = kind == AppObjectKind.Application
            ? await graph.Applications[id].Owners.GetAsync(cancellationToken: cancellationToken)
            : await graph.ServicePrincipals[id].Owners.GetAsync(cancellationToken: cancellationToken);
        return await directory.AllPagesAsync<DirectoryObject, DirectoryObjectCollectionResponse>(page, cancellationToken);
    }

    public Task<IReadOnlyList<UnifiedRoleAssignment>> RoleAssignmentsAsync(string filter, CancellationToken cancellationToken) =>
        directory.RoleAssignmentsAsync(filter, cancellationToken);

    public Task<User?> FindUserAsync(string id, CancellationToken cancellationToken) => directory.FindUserAsync(id, cancellationToken);

    /// <summary>Resolves permission and resource names for plans; one read per resource application.</summary>
    public PermissionNames Names() => new(graph);

    /// <summary>A directory object's name for a person to read; the id when it cannot be read.</summary>
    public static string NameOf(DirectoryObject item) => item switch
    {
        User user => user.UserPrincipalName ?? user.DisplayName ?? user.Id!,
        ServicePrincipal sp => $"{sp.DisplayName} (service principal)",
        Group group => $"{group.DisplayName} (group)",
        _ => item.Id ?? "unknown",
    };
}

public enum AppObjectKind
{
    /// <summary>The app registration (/applications), only in the application's home tenant.</summary>
    Application,

    /// <summary>The enterprise application (/servicePrincipals), the app's instance in this tenant.</summary>
    ServicePrincipal,
}

/// <summary>Names app roles and resources by reading each resource service principal once.</summary>
public sealed class PermissionNames(GraphServiceClient graph)
{
    private readonly Dictionary<string, ServicePrincipal?> _resources = new(StringComparer.OrdinalIgnoreCase);

    public async Task<string> ResourceNameAsync(string resourceId, CancellationToken cancellationToken) =>
        (await ResourceAsync(resourceId, cancellationToken))?.DisplayName ?? resourceId;

    /// <summary>The app role's value ("Mail.Read"); the default access role has none.</summary>
    public async Task<string> AppRoleAsync(Guid? resourceId, Guid? appRoleId, CancellationToken cancellationToken)
    {
        if (appRoleId is null || appRoleId == Guid.Empty)
        {
            return "default access";
        }

        var resource = resourceId is null ? null : await ResourceAsync(resourceId.Value.ToString(), cancellationToken);
        return resource?.AppRoles?.FirstOrDefault(r => r.Id == appRoleId)?.Value ?? appRoleId.ToString()!;
    }

    private async Task<ServicePrincipal?> ResourceAsync(string id, CancellationToken cancellationToken)
    {
        if (!_resources.TryGetValue(id, out var resource))
        {
            try
            {
                resource = await graph.ServicePrincipals[id].GetAsync(r => r.QueryParameters.Select = ["id", "displayName", "appRoles"], cancellationToken);
            }
            catch (ODataError error) when (GraphErrors.IsNotFound(error))
            {
                resource = null;
            }

            _resources[id] = resource;
        }

        return resource;
    }
}
