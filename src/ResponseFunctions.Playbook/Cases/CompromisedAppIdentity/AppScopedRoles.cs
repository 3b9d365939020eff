using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Graph;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;

/// <summary>A role assignment scoped to one app registration (<paramref name="DirectoryScopeId"/> "/{application object id}"), held by <paramref name="PrincipalId"/>.</summary>
public abstract record ScopedRoleChange(string ResourceId, string Description, string RoleDefinitionId, string PrincipalId, string DirectoryScopeId)
    : PlannedChange(ResourceId, Description);

/// <summary>Delete the scoped role assignment <paramref name="ResourceId"/>.</summary>
public sealed record RemoveScopedRole(string ResourceId, string Description, string RoleDefinitionId, string PrincipalId, string DirectoryScopeId)
    : ScopedRoleChange(ResourceId, Description, RoleDefinitionId, PrincipalId, DirectoryScopeId);

/// <summary>Assign the role, scoped to the app registration, to the baseline holder <paramref name="ResourceId"/> (= <paramref name="PrincipalId"/>) again.</summary>
public sealed record AddScopedRole(string ResourceId, string Description, string RoleDefinitionId, string PrincipalId, string DirectoryScopeId)
    : ScopedRoleChange(ResourceId, Description, RoleDefinitionId, PrincipalId, DirectoryScopeId);

/// <summary>One role assignment scoped to the app registration, as 2.e journals it before and after.</summary>
public sealed record ScopedAssignment(string Id, string RoleDefinitionId, string RoleName, string PrincipalId, string PrincipalName, string Scope);

/// <summary>What 2.e reads: the application and the role assignments scoped to its app registration (none for another tenant's app: <see cref="Scope"/> is null).</summary>
public sealed record AppScopedRoles(string? DisplayName, string? AppId, string? Scope, IReadOnlyList<ScopedAssignment> Assignments)
{
    /// <summary>Whether the change still has something to do.</summary>
    public bool Needs(PlannedChange change) => change switch
    {
        RemoveScopedRole remove => Assignments.Any(a => Same(a.Id, remove.ResourceId)),
        AddScopedRole add => !Assignments.Any(a => Holds(a, add)),
        _ => false,
    };

    public static bool Holds(ScopedAssignment a, ScopedRoleChange change) =>
        Same(a.PrincipalId, change.PrincipalId) && Same(a.RoleDefinitionId, change.RoleDefinitionId) && Same(a.Scope, change.DirectoryScopeId);

    public static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <remarks>Graph: GET /servicePrincipals/{id}, GET /applications?$filter=appId eq, GET /roleManagement/directory/roleAssignments?$filter=directoryScopeId eq '/{id}'.</remarks>
    public static async Task<AppScopedRoles> ReadAsync(ApplicationDirectory apps, string servicePrincipalId, CancellationToken cancellationToken)
    {
        var sp = await apps.GetServicePrincipalAsync(servicePrincipalId, cancellationToken);
        if ((await apps.FindApplicationAsync(sp.AppId, cancellationToken))?.Id is not { } appObjectId)
        {
            return new AppScopedRoles(sp.DisplayName, sp.AppId, null, []);
        }

        var scope = "/" + appObjectId;
        var assignments = new List<ScopedAssignment>();
        foreach (var a in await apps.RoleAssignmentsAsync(ODataFilter.Eq("directoryScopeId", scope), cancellationToken))
        {
            assignments.Add(new ScopedAssignment(a.Id!, a.RoleDefinitionId!, a.RoleDefinition?.DisplayName ?? a.RoleDefinitionId!, a.PrincipalId!,
                await NameAsync(apps, a.PrincipalId!, cancellationToken), a.DirectoryScopeId ?? scope));
        }

        return new AppScopedRoles(sp.DisplayName, sp.AppId, scope, assignments);
    }

    public static async Task<string> NameAsync(ApplicationDirectory apps, string principalId, CancellationToken cancellationToken) =>
        (await apps.FindUserAsync(principalId, cancellationToken))?.UserPrincipalName ?? principalId;

    /// <remarks>Graph: DELETE /roleManagement/directory/roleAssignments/{id}.</remarks>
    public static Task RemoveAsync(GraphServiceClient graph, RemoveScopedRole change, CancellationToken cancellationToken) =>
        graph.RoleManagement.Directory.RoleAssignments[change.ResourceId].DeleteAsync(cancellationToken: cancellationToken);

    /// <remarks>Graph: POST /roleManagement/directory/roleAssignments.</remarks>
    public static Task AddAsync(GraphServiceClient graph, AddScopedRole change, CancellationToken cancellationToken) =>
        graph.RoleManagement.Directory.RoleAssignments.PostAsync(new UnifiedRoleAssignment
        {
            OdataType = "#microsoft.graph.unifiedRoleAssignment",
            PrincipalId = change.PrincipalId,
            RoleDefinitionId = change.RoleDefinitionId,
            DirectoryScopeId = change.DirectoryScopeId,
        }, cancellationToken: cancellationToken);
}
