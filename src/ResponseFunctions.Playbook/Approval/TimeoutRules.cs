using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Approval;

/// <summary>Reads policy <c>TimeoutPolicy</c>: which actions apply when nobody decides in time, for which severities.</summary>
public static class TimeoutRules
{
    public static IReadOnlyList<ActionId> ApplyOnTimeout(IReadOnlyDictionary<string, TimeoutRule> rules, IncidentSeverity? severity) =>
        severity is not { } known
            ? []
            : [.. rules
                .Where(r => r.Value.OnTimeout == TimeoutAction.Apply && r.Value.Severities.Contains(known))
                .Select(r => ActionId.Parse(TwoPersonRule.Normalize(r.Key)))];

    public static IEnumerable<string> Problems(IReadOnlyDictionary<string, TimeoutRule> rules)
    {
        foreach (var (key, rule) in rules)
        {
            if (!ActionId.TryParse(TwoPersonRule.Normalize(key), out var id) || !ActionCatalog.Contains(id))
            {
                yield return $"TimeoutPolicy: '{key}' is not an action of the catalog.";
                continue;
            }

            if (rule.OnTimeout == TimeoutAction.Apply && rule.Severities.Count == 0)
            {
                yield return $"TimeoutPolicy[{key}]: OnTimeout Apply needs the severities it holds for (e.g. [\"High\"]).";
            }

            if (rule.OnTimeout == TimeoutAction.Apply && !ActionCatalog.Get(id).Reversible && id.Value != "1.b")
            {
                // Applying an irreversible change nobody approved is only defensible for revoking sessions.
                yield return $"TimeoutPolicy[{key}]: Apply on timeout is refused for an irreversible action other than 1.b.";
            }
        }
    }
}
