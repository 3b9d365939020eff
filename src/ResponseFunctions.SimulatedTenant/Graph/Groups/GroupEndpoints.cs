using Microsoft.Graph.Models;
using ResponseFunctions.SimulatedTenant.Http;

namespace ResponseFunctions.SimulatedTenant.Graph.Groups;

/// <summary>/groups: read a group and its members, add or remove a member by reference.</summary>
internal static class GroupEndpoints
{
    public static void Map(GraphRouter router) => router
        .Map("GET", "groups/{group}", Get)
        .Map("GET", "groups/{group}/members", Members)
        .Map("POST", "groups/{group}/members/$ref", AddMember)
        .Map("DELETE", "groups/{group}/members/{member}/$ref", RemoveMember);

    private static GraphResponse Get(GraphRequest request)
    {
        var group = request.State.Read(m => DirectoryObjects.ToGraph(RequireGroup(m, request["group"])));
        return GraphResponse.Ok(GraphJson.Entity(group, "groups/$entity"));
    }

    private static GraphResponse Members(GraphRequest request)
    {
        var members = request.State.Read(m => RequireGroup(m, request["group"]).Members
            .Select(id => DirectoryObjects.Resolve(m, id))
            .OfType<DirectoryObject>()
            .ToList());
        return GraphResponse.Ok(GraphJson.Collection(members, "directoryObjects"));
    }

    /// <summary>
    /// POST members/$ref with the member's directoryObjects URL: 204; a member already there is refused as the service
    /// refuses it. Source: Graph v1.0 "Add members" (group-post-members), error wording as the directory answers.
    /// </summary>
    private static GraphResponse AddMember(GraphRequest request)
    {
        var reference = request.BodyAs(ReferenceCreate.CreateFromDiscriminatorValue);
        var memberId = reference.OdataId is { } odataId && Uri.TryCreate(odataId, UriKind.Absolute, out var uri)
            ? uri.Segments[^1].Trim('/')
            : throw GraphException.DirectoryBadRequest("@odata.id must be the URL of the directory object to add, e.g. https://graph.microsoft.com/v1.0/directoryObjects/{id}.");
        request.State.Mutate(m =>
        {
            var group = RequireGroup(m, request["group"]);
            if (DirectoryObjects.Resolve(m, memberId) is null)
            {
                throw GraphException.DirectoryObjectNotFound(memberId);
            }

            if (group.Members.Contains(memberId, StringComparer.OrdinalIgnoreCase))
            {
                throw GraphException.DirectoryBadRequest("One or more added object references already exist for the following modified properties: 'members'.");
            }

            group.Members.Add(memberId);
        });
        return GraphResponse.NoContent();
    }

    private static GraphResponse RemoveMember(GraphRequest request)
    {
        request.State.Mutate(m =>
        {
            var group = RequireGroup(m, request["group"]);
            var index = group.Members.FindIndex(id => string.Equals(id, request["member"], StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                // The real service's wording for removing a reference that is not there.
                throw new GraphException(404, "Request_ResourceNotFound",
                    "One or more removed object references do not exist for the following modified properties: 'members'.");
            }

            group.Members.RemoveAt(index);
        });
        return GraphResponse.NoContent();
    }

    private static SimGroup RequireGroup(TenantModel model, string id) =>
        model.FindGroup(id) ?? throw GraphException.DirectoryObjectNotFound(id);
}
