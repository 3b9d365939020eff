using System.Security.Cryptography;
using System.Text;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Release;

/// <summary>
/// A request to undo (part of) a containment: which of its applied steps, why, and by whom. The release runs as its
/// own orchestration (<see cref="ReleaseOrchestrator"/>) and writes in the containment's main courante.
/// </summary>
/// <param name="ContainmentInstanceId">The containment this release undoes (e.g. <c>containment-inc-2026-0042</c>).</param>
/// <param name="Mode"><see cref="ContainmentMode.Plan"/> proposes the release (plan only, nothing asked, nothing changed).</param>
public sealed record ReleaseRequest(
    string IncidentId,
    string ContainmentInstanceId,
    ReleaseSelection Selection,
    string Reason,
    string RequestedBy,
    ContainmentMode Mode = ContainmentMode.Contain)
{
    /// <summary>
    /// Other incidents whose containment is still in force, read by the starter from the task hub: a release never
    /// re-enables a principal one of them holds, nor removes an address one of them blocks.
    /// </summary>
    public IReadOnlyList<string> OpenIncidents { get; init; } = [];
}

/// <summary>What to release: every reversible step, or the listed sheet ids (and targets).</summary>
public sealed record ReleaseSelection(bool AllReversible, IReadOnlyList<ReleaseItem> Items)
{
    public static ReleaseSelection All { get; } = new(true, []);

    /// <summary>Whether an applied step of the containment is selected.</summary>
    public bool Selects(ActionId action, string target) =>
        AllReversible ? ReleaseCatalog.Get(action).InAllReversible : Items.Any(i => i.Matches(action, target));

    public override string ToString() => AllReversible ? "all-reversible" : string.Join(",", Items.Select(i => i.ToString()));
}

/// <summary>One sheet id, optionally narrowed to a target (object id, UPN, address, resource id or name as journaled).</summary>
public sealed record ReleaseItem(ActionId Action, string? Target = null)
{
    /// <summary>Journal targets are written "name (id)" or "tenant": the item names either part, whole, case-insensitively.</summary>
    public bool Matches(ActionId action, string journaledTarget) =>
        action == Action && (Target is null || journaledTarget.Equals(Target, StringComparison.OrdinalIgnoreCase)
            || journaledTarget.StartsWith(Target + " (", StringComparison.OrdinalIgnoreCase)
            || journaledTarget.EndsWith($"({Target})", StringComparison.OrdinalIgnoreCase));

    public override string ToString() => Target is null ? Action.Value : $"{Action.Value}:{Target}";
}

/// <summary>Release instance ids: derived from the incident and the selection, so the same release asked twice is the same instance.</summary>
public static class ReleaseIds
{
    public const string Prefix = "release-";

    /// <summary>Every release of one incident starts with this.</summary>
    public static string PrefixFor(string incidentId) => $"{Prefix}{incidentId.ToLowerInvariant()}-";

    /// <param name="mode">A proposal (plan mode) has its own id, so it never stands in the way of the release itself.</param>
    public static string For(string incidentId, ReleaseSelection selection, ContainmentMode mode = ContainmentMode.Contain)
    {
        var canonical = (mode == ContainmentMode.Plan ? "plan:" : string.Empty) + (selection.AllReversible
            ? "all-reversible"
            : string.Join("\n", selection.Items.Select(i => i.ToString().ToLowerInvariant()).Order(StringComparer.Ordinal)));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..8];
        return PrefixFor(incidentId) + hash;
    }
}
