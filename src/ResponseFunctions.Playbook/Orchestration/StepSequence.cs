using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// Orders the steps of a containment as the sheet's priority table does: case by case, every P0 action before any
/// P1 action, in the table's order; an action runs for every target before the next action starts (so every
/// compromised account loses its password before any loses its sessions). Tenant-wide actions run once.
/// </summary>
public static class StepSequence
{
    public static IReadOnlyList<StepContext> For(string instanceId, IReadOnlyList<CaseId> cases, IncidentScope scope)
    {
        var steps = new List<StepContext>();
        foreach (var action in cases.Distinct().Order().SelectMany(ActionCatalog.ForCase))
        {
            foreach (var target in TargetsOf(action, scope))
            {
                steps.Add(new StepContext(instanceId, scope.IncidentId, steps.Count + 1, action.Id, target) { Scope = scope });
            }
        }

        return steps;
    }

    private static IEnumerable<ActionTarget> TargetsOf(ActionDescriptor action, IncidentScope scope) => action.Target switch
    {
        TargetKind.Tenant => [ActionTarget.Tenant],
        TargetKind.User => scope.Users,
        TargetKind.Application => scope.Applications,
        TargetKind.Mailbox => scope.Mailboxes,
        TargetKind.AzureResource => scope.Resources,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action.Target, "Unknown target kind."),
    };
}
