using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Approval;

/// <summary>
/// Changes that act on the whole organisation rather than on the step's target: an approver must see them first,
/// never as bullet 43 of 43 (5.d's SMTP AUTH switch sits after every mailbox it turns protocols off on).
/// </summary>
public static class OrganisationWide
{
    // Resource ids the actions give to tenant-wide settings: 5.d transport config, 2.g authorization and consent request policies.
    private static readonly HashSet<string> TenantResources = new(["organization", "tenant", "authorizationPolicy", "adminConsentRequestPolicy"], StringComparer.OrdinalIgnoreCase);

    public static bool Is(PlannedChange change) => TenantResources.Contains(change.ResourceId);

    /// <summary>A step whose target is the tenant itself (1.e, 2.g, 4.x, 5.e): every change it makes is the organisation's.</summary>
    public static bool Is(ActionTarget target) => target.Kind == Catalog.TargetKind.Tenant;

    /// <summary>Organisation-wide changes first, the rest after, each group in plan order.</summary>
    public static (IReadOnlyList<PlannedChange> Organisation, IReadOnlyList<PlannedChange> Others) Split(IReadOnlyList<PlannedChange> changes) =>
        ([.. changes.Where(Is)], [.. changes.Where(c => !Is(c))]);

    /// <summary>Changes of the same kind together, in order of first appearance: "disable-protocols (42)".</summary>
    public static IReadOnlyList<(string Kind, IReadOnlyList<PlannedChange> Changes)> Group(IReadOnlyList<PlannedChange> changes) =>
        [.. changes.GroupBy(c => c.Kind, StringComparer.Ordinal).Select(g => (g.Key, (IReadOnlyList<PlannedChange>)[.. g]))];

    /// <summary>"disable-protocols" → "Disable protocols"; "RemoveAllow" → "Remove allow".</summary>
    public static string Humanize(string kind)
    {
        var words = new System.Text.StringBuilder();
        foreach (var c in kind)
        {
            if (c is '-' or '_')
            {
                words.Append(' ');
            }
            else if (char.IsUpper(c) && words.Length > 0 && words[^1] != ' ')
            {
                words.Append(' ').Append(char.ToLowerInvariant(c));
            }
            else
            {
                words.Append(words.Length == 0 ? char.ToUpperInvariant(c) : c);
            }
        }

        return words.ToString();
    }
}
