using System.Text.Json;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Release;

/// <summary>
/// The I/O of a release, one method per activity (the classes in <c>Release/Activities/</c> are the Durable Task
/// wrappers). Everything is journaled in the containment's main courante under ids fixed by the release and step, and
/// every release entry names the containment entry it undoes.
/// </summary>
public sealed class ReleaseActivities(
    ReleaseRegistry releases,
    IJournal journal,
    IOptions<ContainmentPolicy> policy,
    IOptions<ContainmentEngineOptions> engine,
    TimeProvider time)
{
    private string Actor => policy.Value.ActorName;

    public async Task<PreparedRelease> PrepareAsync(ReleasePrepareInput input, CancellationToken cancellationToken)
    {
        var request = input.Request;
        var entries = await journal.ReadAsync(request.IncidentId, cancellationToken);
        await journal.AppendAsync(
            new JournalEntry(EntryId(input.InstanceId, 0, "started"), input.StartedAt, request.IncidentId, request.RequestedBy, ReleaseEvents.Started,
                $"containment {request.ContainmentInstanceId}", request.Mode == Requests.ContainmentMode.Plan ? "release-proposed" : "release-requested",
                $"Release of {request.Selection} from containment {request.ContainmentInstanceId}. Reason: {request.Reason}")
            {
                Data = JsonSerializer.SerializeToElement(request, JournalJson.Options),
            },
            cancellationToken);

        var (heldTargets, heldLocations) = await HeldElsewhereAsync(request, cancellationToken);
        var applied = OpenContainments.AppliedSteps(request.ContainmentInstanceId, entries)
            .Where(e => ActionId.TryParse(e.Action, out var action) && request.Selection.Selects(action, e.Target) || IsCannotUndo(request, e))
            .ToList();

        var steps = new List<ReleaseStep>();
        var notices = new List<ReleaseNotice>();
        foreach (var entry in applied)
        {
            var action = ActionId.Parse(entry.Action);
            var descriptor = ReleaseCatalog.Get(action);
            var release = releases.Find(action);
            if (!descriptor.Reversible || release is null || (request.Selection.AllReversible && descriptor.OnlyWhenNamed))
            {
                var kind = descriptor.Kind == ReleaseKind.ByHand ? "by-hand" : descriptor.OnlyWhenNamed ? "when-named" : descriptor.Reversible ? "not-built" : "cannot-undo";
                var followUp = descriptor.FollowUp ?? $"Restore by hand from the before-state journaled in {entry.Id}.";
                notices.Add(new ReleaseNotice(action, entry.Target, kind, descriptor.Meaning, followUp, entry.Id));
                await journal.AppendAsync(
                    new JournalEntry(EntryId(input.InstanceId, 0, $"{kind}-{OriginalIndex(entry.Id):00}"), time.GetUtcNow(), request.IncidentId, Actor,
                        ReleaseEvents.NotUndone, entry.Target, kind, $"{descriptor.Meaning} Follow-up for a person: {followUp} (containment entry {entry.Id})")
                    {
                        Data = JsonSerializer.SerializeToElement(new { originalEntryId = entry.Id, followUp }, JournalJson.Options),
                    },
                    cancellationToken);
                continue;
            }

            var original = Original(entry);
            var target = TargetOf(ActionCatalog.Get(action).Target, entry.Target);
            heldTargets.TryGetValue(target.Id, out var heldBy);
            foreach (var item in release.Items(original))
            {
                var step = new StepContext(input.InstanceId, request.IncidentId, steps.Count + 1, action, target);
                var (principal, principalHeldBy) = heldBy is null ? await HeldPrincipalAsync(release, original, item, heldTargets, cancellationToken) : (null, null);
                steps.Add(new ReleaseStep(step, request.ContainmentInstanceId, entry.Id, item, heldBy ?? principalHeldBy)
                {
                    HeldLocations = heldLocations,
                    HeldPrincipal = principal,
                });
            }
        }

        return new PreparedRelease(steps, notices, policy.Value.ApprovalTimeout, Approval.TwoPersonRule.Eligible.Where(a => policy.Value.TwoPersonActions
            .Any(t => Approval.TwoPersonRule.Normalize(t) == a)).Select(ActionId.Parse).ToList(), Actor)
        {
            Engine = engine.Value,
        };
    }

    /// <summary>A step that cannot be undone is listed whenever the release covers every reversible step, so a person knows what is left.</summary>
    private static bool IsCannotUndo(ReleaseRequest request, JournalEntry entry) =>
        request.Selection.AllReversible && ActionId.TryParse(entry.Action, out var action) && !ReleaseCatalog.Get(action).InAllReversible;

    /// <summary>
    /// The first principal the item gives access back to that another open containment holds, and that incident. The
    /// journal names a principal as Exchange returned it (UPN, address in any case, "SMTP:" notation, alias): the held
    /// targets are matched case-insensitively, then through the forms the release resolves the principal to.
    /// </summary>
    private static async Task<(string? Principal, string? Incident)> HeldPrincipalAsync(
        IReleaseAction release, OriginalStep original, string? item, Dictionary<string, string> held, CancellationToken cancellationToken)
    {
        var principals = release.Principals(original, item);
        if (held.Count == 0 || principals.Count == 0)
        {
            return (null, null);
        }

        foreach (var principal in principals)
        {
            if (held.TryGetValue(principal, out var incident) || held.TryGetValue(Cases.MailDataLeak.Mail.AddressOf(principal), out incident))
            {
                return (principal, incident);
            }
        }

        foreach (var principal in principals)
        {
            foreach (var form in await release.PrincipalFormsAsync(principal, cancellationToken))
            {
                if (held.TryGetValue(form, out var incident))
                {
                    return (principal, incident);
                }
            }
        }

        return (null, null);
    }

    /// <summary>The principals and locations other open containments hold, from their prepared scopes.</summary>
    private async Task<(Dictionary<string, string> Targets, IReadOnlyList<string> Locations)> HeldElsewhereAsync(ReleaseRequest request, CancellationToken cancellationToken)
    {
        var targets = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var locations = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var incident in request.OpenIncidents.Where(i => !i.Equals(request.IncidentId, StringComparison.OrdinalIgnoreCase)))
        {
            var id = IncidentScopes.EntryId(InstanceIds.ForIncident(incident));
            var scope = (await journal.ReadAsync(incident, cancellationToken)).LastOrDefault(e => e.Id == id)?.Data?.Deserialize<IncidentScope>(JournalJson.Options);
            if (scope is null)
            {
                continue;
            }

            foreach (var target in scope.Users.Concat(scope.Applications).Concat(scope.Mailboxes).Concat(scope.Resources))
            {
                targets.TryAdd(target.Id, incident);
                if (target.Kind is TargetKind.User or TargetKind.Mailbox)
                {
                    // A mail release names principals by UPN or address (a trustee, a shared mailbox), not by object id.
                    targets.TryAdd(target.Name, incident);
                }
            }

            locations.UnionWith(scope.Ips);
            locations.UnionWith(scope.Countries);
        }

        return (targets, [.. locations.Order(StringComparer.OrdinalIgnoreCase)]);
    }

    public async Task<ActionPlan> PlanStepAsync(ReleaseStep step, CancellationToken cancellationToken)
    {
        var original = await ReadOriginalAsync(step, cancellationToken);
        var plan = step.HeldBy is { } incident
            ? new ActionPlan(step.Action, step.Target, PlanStatus.Refused,
                $"Not released: held by containment {InstanceIds.ForIncident(incident)} (incident {incident}, still open), which holds {step.HeldPrincipal ?? step.Target.ToString()}.",
                [new("Held by", $"containment {InstanceIds.ForIncident(incident)} (incident {incident})")], [], [])
            : await GraphCallAsync(
                () => releases.Find(step.Action)!.PlanAsync(step, original, cancellationToken),
                error => Plans.Failed(step.Step, error, $"Planning the release failed: {error.Message}"));
        await journal.AppendAsync(
            new JournalEntry(EntryId(step.Step.InstanceId, step.Step.Index, "plan"), time.GetUtcNow(), step.Step.IncidentId, Actor, step.Action.Value,
                step.Target.ToString(), $"plan:{ContainmentActivities.Kebab(plan.Status)}", $"Release of {step.OriginalEntryId}{ItemText(step)}: {Describe(plan)}")
            {
                Data = JsonSerializer.SerializeToElement(
                    new { originalEntryId = step.OriginalEntryId, item = step.Item, plan.Evidence, plan.Changes, plan.Warnings, plan.Before, plan.Error }, JournalJson.Options),
            },
            cancellationToken);
        return plan;
    }

    public async Task<ApplyResult> ApplyStepAsync(ReleaseWork work, CancellationToken cancellationToken)
    {
        var (step, plan) = work;
        var original = await ReadOriginalAsync(step, cancellationToken);
        await journal.AppendAsync(
            new JournalEntry(EntryId(step.Step.InstanceId, step.Step.Index, "intent"), time.GetUtcNow(), step.Step.IncidentId, Actor, step.Action.Value,
                step.Target.ToString(), "intent:apply", $"About to release {step.OriginalEntryId}{ItemText(step)}: {Describe(plan)}")
            {
                Data = JsonSerializer.SerializeToElement(new { originalEntryId = step.OriginalEntryId, plan.Before, plan.Changes }, JournalJson.Options),
            },
            cancellationToken);
        var result = await GraphCallAsync(
            () => releases.Find(step.Action)!.ApplyAsync(step, original, plan, cancellationToken),
            error => new ApplyResult(step.Action, step.Target, ApplyOutcome.Failed, $"Release failed: {error.Message}", [], []) { Error = error });
        await journal.AppendAsync(
            new JournalEntry(EntryId(step.Step.InstanceId, step.Step.Index, "apply"), time.GetUtcNow(), step.Step.IncidentId, Actor, step.Action.Value,
                step.Target.ToString(), $"apply:{ContainmentActivities.Kebab(result.Outcome)}", $"Release of {step.OriginalEntryId}{ItemText(step)}: {result.Summary}")
            {
                Data = JsonSerializer.SerializeToElement(
                    new { originalEntryId = step.OriginalEntryId, item = step.Item, result.Before, result.After, result.Changes, result.Warnings, result.Error }, JournalJson.Options),
            },
            cancellationToken);
        return result;
    }

    public async Task<VerifyResult> VerifyStepAsync(ReleaseWork work, CancellationToken cancellationToken)
    {
        var (step, plan) = work;
        var original = await ReadOriginalAsync(step, cancellationToken);
        var result = await GraphCallAsync(
            () => releases.Find(step.Action)!.VerifyAsync(step, original, plan, cancellationToken),
            error => new VerifyResult(step.Action, step.Target, VerifyOutcome.Failed, $"Verification failed: {error.Message}"));
        await journal.AppendAsync(
            new JournalEntry(EntryId(step.Step.InstanceId, step.Step.Index, "verify"), time.GetUtcNow(), step.Step.IncidentId, Actor, step.Action.Value,
                step.Target.ToString(), $"verify:{ContainmentActivities.Kebab(result.Outcome)}", result.Detail)
            {
                Data = JsonSerializer.SerializeToElement(new { originalEntryId = step.OriginalEntryId, item = step.Item }, JournalJson.Options),
            },
            cancellationToken);
        return result;
    }

    private async Task<OriginalStep> ReadOriginalAsync(ReleaseStep step, CancellationToken cancellationToken)
    {
        var entry = (await journal.ReadAsync(step.Step.IncidentId, cancellationToken)).LastOrDefault(e => e.Id == step.OriginalEntryId)
            ?? throw new InvalidOperationException($"The main courante of {step.Step.IncidentId} has no entry '{step.OriginalEntryId}' to release.");
        return Original(entry);
    }

    internal static OriginalStep Original(JournalEntry entry)
    {
        var data = entry.Data;
        return new OriginalStep(entry.Id, entry.Outcome, OriginalStep.Property(data, "before")?.Clone(), OriginalStep.Property(data, "after")?.Clone(),
            OriginalStep.ChangesOf(data));
    }

    /// <summary>Journal targets are "name (id)" or "tenant".</summary>
    internal static ActionTarget TargetOf(TargetKind kind, string written)
    {
        var open = written.LastIndexOf(" (", StringComparison.Ordinal);
        return kind == TargetKind.Tenant ? ActionTarget.Tenant
            : open < 0 || !written.EndsWith(')') ? new ActionTarget(kind, written, written)
            : new ActionTarget(kind, written[(open + 2)..^1], written[..open]);
    }

    private static int OriginalIndex(string entryId)
    {
        var parts = entryId.Split('/');
        return parts.Length >= 2 && int.TryParse(parts[^2], out var index) ? index : 0;
    }

    private static string ItemText(ReleaseStep step) => step.Item is null ? string.Empty : $" (item {step.Item})";

    private static string Describe(ActionPlan plan) =>
        plan.Changes.Count == 0 ? plan.Summary : $"{plan.Summary} Changes: {string.Join("; ", plan.Changes.Select(c => c.Description))}";

    private static string Describe(ApplyResult result) => result.Summary;

    internal static string EntryId(string instanceId, int index, string phase) => $"{instanceId}/{index:00}/{phase}";

    private static async Task<T> GraphCallAsync<T>(Func<Task<T>> call, Func<ErrorInfo, T> failed)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (GraphErrors.Classify(ex) is { } error)
        {
            return GraphErrors.IsTransient(error) ? throw new TransientFailureException(error, ex) : failed(error);
        }
    }
}

/// <summary>The release's own journal events (its steps are journaled under their sheet ids).</summary>
public static class ReleaseEvents
{
    public const string Started = "release.started";
    public const string NotUndone = "release.not-undone";
    public const string Completed = "release.completed";
}

/// <summary>Input of the release's prepare activity.</summary>
public sealed record ReleasePrepareInput(string InstanceId, ReleaseRequest Request, DateTimeOffset StartedAt);

/// <summary>What prepare found: the restoring steps, what cannot be undone, and the gate's rules captured once.</summary>
public sealed record PreparedRelease(
    IReadOnlyList<ReleaseStep> Steps,
    IReadOnlyList<ReleaseNotice> NotUndone,
    TimeSpan ApprovalTimeout,
    IReadOnlyList<ActionId> TwoPerson,
    string Actor)
{
    public ContainmentEngineOptions Engine { get; init; } = new();
}

/// <summary>A containment step the release does not undo, and what a person must do instead.</summary>
/// <param name="Kind">"cannot-undo", "by-hand" (restored by a person from the journaled before-state), "when-named" (released only by a release that names it: 1.f, 2.d), or "not-built" (a reversible action whose automated release does not exist yet).</param>
public sealed record ReleaseNotice(ActionId Action, string Target, string Kind, string Meaning, string FollowUp, string OriginalEntryId);

/// <summary>A release step and the plan its approver saw.</summary>
public sealed record ReleaseWork(ReleaseStep Step, ActionPlan Plan);
