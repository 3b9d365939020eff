using System.Text.Json;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Release;

/// <summary>
/// Undoes one containment action from what its apply journaled. Plan only reads: it compares the journaled
/// before/after with the tenant now and never plans to overwrite something changed since the containment (it shows the
/// difference instead); apply makes exactly the planned changes, skipping those already in place; verify reads again.
/// </summary>
public interface IReleaseAction
{
    ActionId Id { get; }

    /// <summary>The items released one by one (each its own approved step); a single null item for an action released whole.</summary>
    IReadOnlyList<string?> Items(OriginalStep original) => [null];

    /// <summary>
    /// The principals (object id or UPN) an item gives sign-in or access back to, beside the step's own target: the
    /// release refuses the item while another open containment holds one of them (a shared mailbox account, a trustee).
    /// </summary>
    IReadOnlyList<string> Principals(OriginalStep original, string? item) => [];

    /// <summary>
    /// The forms under which another containment may name <paramref name="principal"/> (object id, UPN, addresses), for
    /// the held-by-another-containment check: by default the principal as journaled. Read only when another open
    /// containment holds something and the journaled form matched nothing.
    /// </summary>
    Task<IReadOnlyList<string>> PrincipalFormsAsync(string principal, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([principal]);

    Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken);

    Task<ApplyResult> ApplyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken);

    Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken);
}

/// <summary>
/// One restoring step of a release: its own step (release instance, index, sheet id, target), the containment step it
/// undoes (<paramref name="OriginalEntryId"/>, the apply entry that journaled the before-state) and, for an action
/// released item by item, the item.
/// </summary>
/// <param name="HeldBy">Another open incident whose containment also holds this target: its release is refused.</param>
public sealed record ReleaseStep(StepContext Step, string ContainmentInstanceId, string OriginalEntryId, string? Item = null, string? HeldBy = null)
{
    public ActionId Action => Step.Action;

    public ActionTarget Target => Step.Target;

    /// <summary>The principal another open containment holds (<see cref="HeldBy"/>), when it is not the step's target but one its item gives access back to.</summary>
    public string? HeldPrincipal { get; init; }

    /// <summary>The other open incidents' addresses and countries (1.e never removes one of them).</summary>
    public IReadOnlyList<string> HeldLocations { get; init; } = [];
}

/// <summary>What the containment's apply journaled for a step: the state before and after, and each change's outcome.</summary>
public sealed record OriginalStep(string EntryId, string Outcome, JsonElement? Before, JsonElement? After, IReadOnlyList<OriginalChange> Changes)
{
    /// <summary>A property of the journaled before/after state, or null.</summary>
    public static JsonElement? Property(JsonElement? state, string name) =>
        state is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>The changes the containment made (not those already in place or failed).</summary>
    public IEnumerable<OriginalChange> Done => Changes.Where(c => string.Equals(c.Outcome, "done", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The journaled changes as written, whatever their shape: a typed change (its kind and its properties beside
    /// resourceId) or an untyped one (verb and a parameters object). Read as JSON, not as <see cref="PlannedChange"/>,
    /// so an entry journaled before a change of the records still releases.
    /// </summary>
    public static IReadOnlyList<OriginalChange> ChangesOf(JsonElement? data)
    {
        if (Property(data, "changes") is not { ValueKind: JsonValueKind.Array } changes)
        {
            return [];
        }

        var read = new List<OriginalChange>();
        foreach (var result in changes.EnumerateArray())
        {
            if (Property(result, "change") is not { ValueKind: JsonValueKind.Object } change)
            {
                continue;
            }

            var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in change.EnumerateObject())
            {
                if (property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                {
                    parameters[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                }
            }

            if (Property(change, "parameters") is { ValueKind: JsonValueKind.Object } bag)
            {
                foreach (var property in bag.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String))
                {
                    parameters[property.Name] = property.Value.GetString()!;
                }
            }

            var kind = parameters.GetValueOrDefault("verb") ?? parameters.GetValueOrDefault("kind") ?? string.Empty;
            read.Add(new OriginalChange(kind, parameters.GetValueOrDefault("resourceId") ?? string.Empty, parameters,
                Property(result, "outcome")?.ToString() ?? string.Empty));
        }

        return read;
    }
}

/// <summary>One change the containment journaled: its kind ("disable-account", "remove-inbox-rule"…), object, values and outcome.</summary>
public sealed record OriginalChange(string Kind, string ResourceId, IReadOnlyDictionary<string, string> Values, string Outcome)
{
    public string Parameter(string name) =>
        Values.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"Journaled change '{Kind}' on {ResourceId} has no value '{name}'.");
}

/// <summary>The built release actions by sheet id.</summary>
public sealed class ReleaseRegistry(IEnumerable<IReleaseAction> actions)
{
    private readonly Dictionary<ActionId, IReleaseAction> _actions = actions.ToDictionary(a => a.Id);

    public IReleaseAction? Find(ActionId id) => _actions.GetValueOrDefault(id);

    public bool IsBuilt(ActionId id) => _actions.ContainsKey(id);
}
