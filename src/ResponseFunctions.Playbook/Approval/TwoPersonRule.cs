using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;

namespace ResponseFunctions.Playbook.Approval;

/// <summary>
/// Which steps need two distinct approvers. Only tier-0 changes qualify: tenant-wide policies (1.e Conditional
/// Access, 2.g consent) always, and 1.f only when one of its planned changes takes Global Administrator away, since
/// a wrong click there can lock the tenant's administrators out.
/// </summary>
public static class TwoPersonRule
{
    public static IReadOnlyList<string> Eligible { get; } = ["1.e", "1.f", "2.g"];

    /// <summary>"1b" → "1.b", so setting names without dots (App Service on Linux) still match.</summary>
    public static string Normalize(string id)
    {
        var trimmed = id.Trim().ToLowerInvariant();
        return trimmed.Length > 1 && char.IsDigit(trimmed[0]) && trimmed[1] != '.' ? $"{trimmed[0]}.{trimmed[1..]}" : trimmed;
    }

    public static int RequiredApprovals(ActionId action, IReadOnlyList<PlannedChange> changes, IReadOnlyList<ActionId> twoPersonActions)
    {
        // A planned change whose reach is above the policy's caps (1.e) always needs two people.
        if (changes.Any(c => c.RequiresSecondApprover))
        {
            return 2;
        }

        if (!twoPersonActions.Contains(action))
        {
            return 1;
        }

        return action.Value != "1.f" || changes.Any(RemovesGlobalAdministrator) ? 2 : 1;
    }

    private static bool RemovesGlobalAdministrator(PlannedChange change) =>
        change is IRemovesRole removal && string.Equals(removal.RoleDefinitionId, DirectoryReader.GlobalAdministratorRoleId, StringComparison.OrdinalIgnoreCase);
}
