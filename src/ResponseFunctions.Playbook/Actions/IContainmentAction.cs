using System.Text.Json.Serialization;
using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Actions;

/// <summary>
/// One containment action of the sheet. Plan only reads; apply makes exactly the planned changes, skipping those
/// already in place, so a retry or a second run changes nothing; verify reads again to confirm.
/// </summary>
public interface IContainmentAction
{
    ActionId Id { get; }

    Task<ActionPlan> PlanAsync(StepContext step, CancellationToken cancellationToken);

    Task<ApplyResult> ApplyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken);

    Task<VerifyResult> VerifyAsync(StepContext step, ActionPlan plan, CancellationToken cancellationToken);
}

/// <summary>
/// Where a step stands: which containment, which action on which target, and the incident around it. Only the step
/// itself travels in the orchestration's history: <see cref="Scope"/> (every target of the incident, its IPs and
/// countries) is attached by the activity from <see cref="Orchestration.IncidentScopes"/>, so a step's input stays the
/// same size whether the incident names one account or thousands.
/// </summary>
public sealed record StepContext(string InstanceId, string IncidentId, int Index, ActionId Action, ActionTarget Target)
{
    [JsonIgnore]
    public IncidentScope Scope
    {
        get => _scope ?? throw new InvalidOperationException($"Step {Index} ({Action}) of {InstanceId} has no incident scope attached: activities attach it (IncidentScopes.AttachAsync).");
        init => _scope = value;
    }

    private readonly IncidentScope? _scope;

    /// <summary>Whether <see cref="Scope"/> is attached (false for a step just read from the orchestration's history).</summary>
    [JsonIgnore]
    public bool HasScope => _scope is not null;

    // A step is printed (logs, test messages) whether or not its scope is attached: never through the throwing getter.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"InstanceId = {InstanceId}, IncidentId = {IncidentId}, Index = {Index}, Action = {Action}, Target = {Target}, HasScope = {HasScope}");
        return true;
    }
}

/// <summary>The incident as the playbook resolved it: every target user (all of them untrusted), the attacker's IPs and countries.</summary>
/// <param name="OpenedAt">When the first containment of this incident started: a change made since then is this incident's.</param>
public sealed record IncidentScope(
    string IncidentId,
    string Reason,
    DateTimeOffset OpenedAt,
    IReadOnlyList<ActionTarget> Users,
    IReadOnlyList<string> Ips,
    IReadOnlyList<string> Countries)
{
    /// <summary>Case 2: the service principals named by the incident.</summary>
    public IReadOnlyList<ActionTarget> Applications { get; init; } = [];

    /// <summary>Case 5: the mailboxes in scope: the target users' own and those named by the incident.</summary>
    public IReadOnlyList<ActionTarget> Mailboxes { get; init; } = [];

    /// <summary>Case 4: the attacker's sender domains.</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];

    /// <summary>Case 3: the Azure resources named by the incident.</summary>
    public IReadOnlyList<ActionTarget> Resources { get; init; } = [];

    /// <summary>
    /// Whether a directory timestamp falls after the incident opened. Graph keeps such timestamps to the second, so the
    /// comparison is made at that precision: a change in the same second as the opening counts as the incident's.
    /// </summary>
    public bool IsSinceOpened(DateTimeOffset? timestamp) =>
        timestamp >= OpenedAt.AddTicks(-(OpenedAt.Ticks % TimeSpan.TicksPerSecond));
}
