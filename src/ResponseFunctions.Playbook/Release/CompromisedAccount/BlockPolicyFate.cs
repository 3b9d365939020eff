using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Release.CompromisedAccount;

/// <summary>
/// What 1.e's release does with the block policy: delete it (then the locations 1.e created) only when removing this
/// incident's addresses and countries would leave its locations empty, i.e. no other open incident needs it. A policy
/// that existed before the containment, or was changed since (state, locations), is kept, and the incident's addresses
/// with it: a location a policy uses cannot be left empty.
/// </summary>
internal static class BlockPolicyFate
{
    /// <summary>
    /// True when the policy's fate replaces the per-value removals (the locations would be emptied): the deletions, if
    /// any, are added to <paramref name="changes"/> and the reason to keep it to <paramref name="warnings"/>.
    /// </summary>
    public static bool Decide(
        IncidentLocationsJournaled journaled, IncidentLocationsNow now, IReadOnlyList<string> ranges, IReadOnlyList<string> countries,
        IReadOnlyList<string> policyDrift, List<PlannedChange> changes, List<string> warnings)
    {
        var ipEmptied = now.IpLocationId is null || now.Ranges.Except(ranges, StringComparer.OrdinalIgnoreCase).Any() == false;
        var countryEmptied = now.CountryLocationId is null || now.Countries.Except(countries, StringComparer.OrdinalIgnoreCase).Any() == false;
        if (!ipEmptied || !countryEmptied || now.PolicyId is null)
        {
            return false;
        }

        // Nothing else is blocked through these locations: no other open incident needs the policy.
        if (!journaled.PolicyCreated || policyDrift.Count > 0)
        {
            warnings.Add(policyDrift.Count > 0
                ? $"The block policy was changed since the containment ({string.Join("; ", policyDrift)}): it is not deleted. The incident's addresses stay until a person removes the policy or adds another location."
                : "The block policy existed before the containment: it is kept, and the incident's addresses with it (a location it uses cannot be left empty).");
            return true;
        }

        changes.Add(new DeleteBlockPolicyChange(now.PolicyId, $"Delete the Conditional Access policy \"{now.PolicyName}\" (no other open incident needs it)"));
        foreach (var (id, name, created) in new[] { (now.IpLocationId, now.IpLocationName, journaled.IpLocationCreated), (now.CountryLocationId, now.CountryLocationName, journaled.CountryLocationCreated) })
        {
            if (id is not null && created)
            {
                changes.Add(new DeleteNamedLocationChange(id, $"Delete the emptied named location \"{name}\""));
            }
        }

        return true;
    }
}
