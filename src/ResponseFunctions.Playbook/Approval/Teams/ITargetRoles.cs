using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;

namespace ResponseFunctions.Playbook.Approval.Teams;

/// <summary>The directory roles a target holds, for the approver to see what is at stake.</summary>
public interface ITargetRoles
{
    Task<IReadOnlyList<string>> RolesOfAsync(ActionTarget target, CancellationToken cancellationToken);
}

/// <summary>Active role assignments from Graph. A card is not worth failing a containment for: a read error shows as such.</summary>
public sealed class GraphTargetRoles(DirectoryReader directory) : ITargetRoles
{
    public async Task<IReadOnlyList<string>> RolesOfAsync(ActionTarget target, CancellationToken cancellationToken)
    {
        if (target.Kind is not (TargetKind.User or TargetKind.Application))
        {
            return [];
        }

        try
        {
            var assignments = await directory.RoleAssignmentsAsync(ODataFilter.Eq("principalId", target.Id), cancellationToken);
            return [.. assignments.Select(a => a.RoleDefinition?.DisplayName ?? a.RoleDefinitionId ?? "unknown role").Distinct().Order()];
        }
        catch (Exception ex) when (GraphErrors.Classify(ex) is not null)
        {
            return ["(roles could not be read)"];
        }
    }
}
