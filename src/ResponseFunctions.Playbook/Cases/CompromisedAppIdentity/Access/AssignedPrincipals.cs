using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity.Access;

/// <summary>Remove the app role assignment <paramref name="ResourceId"/> of a user, group or app to the application (<paramref name="ServicePrincipalId"/>).</summary>
public sealed record RemoveAssignment(string ResourceId, string Description, string ServicePrincipalId) : PlannedChange(ResourceId, Description)
{
    public const string Discriminator = "remove-assignment";
}

/// <summary>A user, group or app assigned to the application: kept when the baseline lists the principal.</summary>
public sealed record AssignedPrincipal(string Id, string Label, string Detail, string PrincipalId, IReadOnlyList<string> AffectedUsers)
    : AccessItem(RemoveAssignment.Discriminator, Id, Label, Detail, AffectedUsers)
{
    public override bool IsLegitimate(ApplicationBaseline? baseline) =>
        baseline is not null && baseline.AssignedPrincipals.Contains(PrincipalId, StringComparer.OrdinalIgnoreCase);

    public override PlannedChange ToChange(string servicePrincipalId) => new RemoveAssignment(Id, $"Remove the assignment: {Label} ({Detail})", servicePrincipalId);
}

/// <summary>2.b's first kind of access: who is assigned to the app (the app as resource).</summary>
/// <remarks>Graph: GET/DELETE /servicePrincipals/{id}/appRoleAssignedTo.</remarks>
public static class AssignedPrincipals
{
    public static async Task<IEnumerable<AccessItem>> ReadAsync(ApplicationDirectory apps, ServicePrincipal sp, CancellationToken cancellationToken) =>
        (await apps.AssignedToAsync(sp.Id!, cancellationToken)).Select(a =>
        {
            var role = a.AppRoleId is { } id && id != Guid.Empty ? sp.AppRoles?.FirstOrDefault(r => r.Id == id)?.Value ?? id.ToString() : "default access";
            var principal = a.PrincipalId.ToString()!;
            return new AssignedPrincipal(a.Id!, $"Assigned {a.PrincipalType} {a.PrincipalDisplayName ?? principal}", $"role {role}, since {a.CreatedDateTime:u}",
                principal, a.PrincipalType == "User" ? [a.PrincipalDisplayName ?? principal] : []);
        });

    public static Task RemoveAsync(GraphServiceClient graph, RemoveAssignment change, CancellationToken cancellationToken) =>
        graph.ServicePrincipals[change.ServicePrincipalId].AppRoleAssignedTo[change.ResourceId].DeleteAsync(cancellationToken: cancellationToken);
}
