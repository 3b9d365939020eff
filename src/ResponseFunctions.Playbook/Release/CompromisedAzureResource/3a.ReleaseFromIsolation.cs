using System.Text.Json;
using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Cases.CompromisedAzureResource;

namespace ResponseFunctions.Playbook.Release.CompromisedAzureResource;

/// <summary>
/// Release of 3.a — take a resource out of isolation, by type, from what the containment journaled: the NICs back behind
/// their previous NSG and the deny-all NSG deleted once unused, a deallocated VM started; a site's (and its slots')
/// access restrictions put back and the stopped ones started; a storage account's public access and firewall as they
/// were. Only what the containment changed, and only where the resource is still as the containment left it: anything
/// changed since is shown in the plan and kept. One step, approved by a person.
/// </summary>
/// <remarks>ARM through <see cref="AzureResources.ArmResources"/> (Azure.ResourceManager), as 3.a: per type in
/// <see cref="VirtualMachineRelease"/>, <see cref="WebAppRelease"/>, <see cref="StorageAccountRelease"/>.</remarks>
public sealed class ReleaseFromIsolation(IEnumerable<IIsolationRelease> kinds) : IReleaseAction
{
    public ActionId Id => IsolateResource.ActionId;

    public async Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken) =>
        KindOf(step) is { } kind
            ? await kind.PlanAsync(step, original, cancellationToken)
            : new ActionPlan(step.Action, step.Target, PlanStatus.NotBuilt,
                $"Manual: no automated release for {ResourceTypes.Of(step.Target.Id)}; restore its network and access settings by hand from {original.EntryId}.",
                [new Evidence("Containment entry", original.EntryId)], [], []);

    public async Task<ApplyResult> ApplyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken)
    {
        var kind = KindOf(step) ?? throw new InvalidOperationException($"No release for {step.Target.Id}: its plan was manual.");
        var before = await kind.StateAsync(step, cancellationToken);
        var results = new List<ChangeResult>();
        foreach (var change in plan.Changes)
        {
            results.Add(await kind.ApplyAsync(step, original, change, cancellationToken));
        }

        var after = await kind.StateAsync(step, cancellationToken);
        return Results.From(step.Step, results,
            $"{results.Count(r => r.Outcome == ChangeOutcome.Done)} of {results.Count} change(s) made to take {step.Target.Name} out of isolation.", before, after, plan.Warnings);
    }

    public Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken) =>
        KindOf(step) is { } kind
            ? kind.VerifyAsync(step, original, plan, cancellationToken)
            : Task.FromResult(Results.Mismatch(step.Step, "No automated release for this resource type: verify by hand."));

    private IIsolationRelease? KindOf(ReleaseStep step) => kinds.FirstOrDefault(k => k.Handles(ResourceTypes.Of(step.Target.Id)));
}

/// <summary>The release of 3.a for one resource type: plan from the journaled before/after against the resource now, one change at a time, verify.</summary>
public interface IIsolationRelease
{
    bool Handles(string resourceType);

    Task<ActionPlan> PlanAsync(ReleaseStep step, OriginalStep original, CancellationToken cancellationToken);

    /// <summary>One planned change, idempotent (AlreadyDone when in place); Refused when the object changed between plan and apply.</summary>
    Task<ChangeResult> ApplyAsync(ReleaseStep step, OriginalStep original, PlannedChange change, CancellationToken cancellationToken);

    Task<VerifyResult> VerifyAsync(ReleaseStep step, OriginalStep original, ActionPlan plan, CancellationToken cancellationToken);

    /// <summary>The resource's state in the shape 3.a journaled it, for the release's own before/after.</summary>
    Task<JsonElement> StateAsync(ReleaseStep step, CancellationToken cancellationToken);
}

/// <summary>What the release kinds share: a change refused because its object moved since the plan, and JSON comparison of journaled values.</summary>
internal static class IsolationRelease
{
    public const string ChangedSince = "Changed since the containment: ";

    /// <summary>
    /// Runs one change: <paramref name="apply"/> answers its outcome, or a reason to refuse it (the object changed between
    /// the plan and now: nothing is overwritten). ARM failures become the change's outcome, as for every action.
    /// </summary>
    public static async Task<ChangeResult> RunAsync(PlannedChange change, Func<Task<(ChangeOutcome Outcome, string? Refusal)>> apply)
    {
        string? refusal = null;
        var result = await Results.RunChangeAsync(change, async () =>
        {
            var (outcome, reason) = await apply();
            refusal = reason;
            return reason is null ? outcome : ChangeOutcome.Refused;
        });
        return refusal is null ? result : result with { Error = new ErrorInfo(ErrorKind.Forbidden, "changed-since-plan", ChangedSince + refusal) };
    }

    /// <summary>The state 3.a's own handler journals for this resource (same shape as the containment's before/after).</summary>
    public static Task<JsonElement> StateAsync(IEnumerable<IIsolationHandler> handlers, ReleaseStep step, CancellationToken cancellationToken) =>
        handlers.First(h => h.Handles(ResourceTypes.Of(step.Target.Id))).StateAsync(step.Step, cancellationToken);

    /// <summary>Whether two JSON values are the same, a missing value being null.</summary>
    public static bool Same(JsonNode? a, JsonNode? b) =>
        JsonNode.DeepEquals(Normal(a), Normal(b));

    public static JsonNode? Node(JsonElement? element) =>
        element is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } e ? JsonNode.Parse(e.GetRawText()) : null;

    /// <summary>Objects without their null properties, so "absent" and "null" compare equal at any depth.</summary>
    private static JsonNode? Normal(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Where(p => p.Value is not null).Select(p =>
            KeyValuePair.Create(p.Key, Normal(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Normal)]),
        _ => node?.DeepClone(),
    };
}
