using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity.Access;

/// <summary>Set appRoleAssignmentRequired=true on the service principal <paramref name="ResourceId"/>: only those still assigned can sign in.</summary>
public sealed record RequireAssignment(string ResourceId, string Description) : PlannedChange(ResourceId, Description)
{
    public const string Discriminator = "require-assignment";
}

/// <summary>
/// One assignment, consent or permission of the application, one subtype per kind (<see cref="AssignedPrincipals"/>,
/// <see cref="DelegatedConsents"/>, <see cref="ApplicationPermissions"/>): how it is matched against the baseline and
/// which change removes it.
/// </summary>
/// <param name="Kind">The kind of the change that removes it (journaled as the item's kind).</param>
/// <param name="AffectedUsers">Users whose refresh tokens outlive the removal (named in the plan's warning).</param>
public abstract record AccessItem(string Kind, string Id, string Label, string Detail, IReadOnlyList<string> AffectedUsers)
{
    public abstract bool IsLegitimate(ApplicationBaseline? baseline);

    public abstract PlannedChange ToChange(string servicePrincipalId);

    public bool Matches(PlannedChange change) => change.Kind == Kind && string.Equals(change.ResourceId, Id, StringComparison.OrdinalIgnoreCase);
}

/// <summary>What 2.b reads of the application (its service principal): every access item and whether assignment is required.</summary>
public sealed record ApplicationAccess(string ServicePrincipalId, string? AppId, string? DisplayName, IReadOnlyList<AccessItem> Items, bool? AssignmentRequired)
{
    /// <summary>Whether the change still has something to do.</summary>
    public bool Needs(PlannedChange change) => change is RequireAssignment ? AssignmentRequired != true : Items.Any(i => i.Matches(change));

    /// <summary>The journal's shape, as before and after: appRoleAssignmentRequired and each item's kind, id, label, detail.</summary>
    public object Describe() => new
    {
        appRoleAssignmentRequired = AssignmentRequired,
        access = Items.Select(i => new { kind = i.Kind, id = i.Id, label = i.Label, detail = i.Detail }),
    };

    public static async Task<ApplicationAccess> ReadAsync(ApplicationDirectory apps, string servicePrincipalId, CancellationToken cancellationToken)
    {
        var sp = await apps.GetServicePrincipalAsync(servicePrincipalId, cancellationToken);
        var names = apps.Names();
        List<AccessItem> items =
        [
            .. await AssignedPrincipals.ReadAsync(apps, sp, cancellationToken),
            .. await DelegatedConsents.ReadAsync(apps, names, sp.Id!, cancellationToken),
            .. await ApplicationPermissions.ReadAsync(apps, names, sp.Id!, cancellationToken),
        ];
        return new ApplicationAccess(sp.Id!, sp.AppId, sp.DisplayName, items, sp.AppRoleAssignmentRequired);
    }

    public static Task RequireAssignmentAsync(GraphServiceClient graph, RequireAssignment change, CancellationToken cancellationToken) =>
        graph.ServicePrincipals[change.ResourceId].PatchAsync(new ServicePrincipal { AppRoleAssignmentRequired = true }, cancellationToken: cancellationToken);
}
