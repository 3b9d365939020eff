using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Cases.CompromisedAppIdentity;

/// <summary>A change to the owners of the app registration or the service principal (<paramref name="Object"/>, <paramref name="ObjectId"/>); <paramref name="ResourceId"/> is the owner.</summary>
public abstract record OwnerChange(string ResourceId, string Description, AppObjectKind Object, string ObjectId, string OwnerName) : PlannedChange(ResourceId, Description);

/// <summary>Add a baseline owner back.</summary>
public sealed record AddOwner(string ResourceId, string Description, AppObjectKind Object, string ObjectId, string OwnerName)
    : OwnerChange(ResourceId, Description, Object, ObjectId, OwnerName);

/// <summary>Remove an owner the baseline does not list (the reference only: the user stays).</summary>
public sealed record RemoveOwner(string ResourceId, string Description, AppObjectKind Object, string ObjectId, string OwnerName)
    : OwnerChange(ResourceId, Description, Object, ObjectId, OwnerName);

public sealed record AppOwner(string Id, string Name);

/// <summary>The app registration or the service principal, with its owners.</summary>
public sealed record OwnedObject(AppObjectKind Object, string Id, IReadOnlyList<AppOwner> Owners)
{
    public string Where => Object == AppObjectKind.Application ? "app registration" : "service principal";
}

/// <summary>What 2.f reads: the owners of the app registration (when it is in this tenant) and of the service principal.</summary>
public sealed record ApplicationOwners(string? AppId, string? DisplayName, IReadOnlyList<OwnedObject> Holders)
{
    public bool Has(OwnerChange change) => Holders.Any(h =>
        h.Object == change.Object && Same(h.Id, change.ObjectId) && h.Owners.Any(o => Same(o.Id, change.ResourceId)));

    /// <summary>The journal's shape, before and after: each object (its kind as "Application"/"ServicePrincipal"), its id, its owners.</summary>
    public object Describe() => Holders.Select(h => new { @object = h.Object.ToString(), id = h.Id, owners = h.Owners });

    public static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <remarks>Graph: GET /servicePrincipals/{id}, GET /applications?$filter=appId eq, GET /applications/{id}/owners, /servicePrincipals/{id}/owners.</remarks>
    public static async Task<ApplicationOwners> ReadAsync(ApplicationDirectory apps, string servicePrincipalId, CancellationToken cancellationToken)
    {
        var sp = await apps.GetServicePrincipalAsync(servicePrincipalId, cancellationToken);
        var holders = new List<OwnedObject>();
        if ((await apps.FindApplicationAsync(sp.AppId, cancellationToken))?.Id is { } appObjectId)
        {
            holders.Add(new OwnedObject(AppObjectKind.Application, appObjectId, await ListAsync(AppObjectKind.Application, appObjectId)));
        }

        holders.Add(new OwnedObject(AppObjectKind.ServicePrincipal, sp.Id!, await ListAsync(AppObjectKind.ServicePrincipal, sp.Id!)));
        return new ApplicationOwners(sp.AppId, sp.DisplayName, holders);

        async Task<IReadOnlyList<AppOwner>> ListAsync(AppObjectKind kind, string id) =>
            [.. (await apps.OwnersAsync(kind, id, cancellationToken)).Select(o => new AppOwner(o.Id!, ApplicationDirectory.NameOf(o)))];
    }

    /// <remarks>Graph: POST /applications/{id}/owners/$ref, /servicePrincipals/{id}/owners/$ref.</remarks>
    public static Task AddAsync(GraphServiceClient graph, AddOwner change, CancellationToken cancellationToken)
    {
        var reference = new ReferenceCreate { OdataId = $"https://graph.microsoft.com/v1.0/directoryObjects/{change.ResourceId}" };
        return change.Object == AppObjectKind.Application
            ? graph.Applications[change.ObjectId].Owners.Ref.PostAsync(reference, cancellationToken: cancellationToken)
            : graph.ServicePrincipals[change.ObjectId].Owners.Ref.PostAsync(reference, cancellationToken: cancellationToken);
    }

    /// <summary>Always through $ref: DELETE …/owners/{id} without it would delete the user itself.</summary>
    /// <remarks>Graph: DELETE /applications/{id}/owners/{owner}/$ref, /servicePrincipals/{id}/owners/{owner}/$ref.</remarks>
    public static Task RemoveAsync(GraphServiceClient graph, RemoveOwner change, CancellationToken cancellationToken) =>
        change.Object == AppObjectKind.Application
            ? graph.Applications[change.ObjectId].Owners[change.ResourceId].Ref.DeleteAsync(cancellationToken: cancellationToken)
            : graph.ServicePrincipals[change.ObjectId].Owners[change.ResourceId].Ref.DeleteAsync(cancellationToken: cancellationToken);
}
