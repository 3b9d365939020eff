using System.Text.Json;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Policy;

namespace ResponseFunctions.Playbook.Actions;

/// <summary>The ways a plan can end, written once so every action reports them alike.</summary>
public static class Plans
{
    public static ActionPlan NothingToDo(StepContext step, string summary, IReadOnlyList<Evidence>? evidence = null, JsonElement? before = null,
        IReadOnlyList<string>? warnings = null) =>
        new(step.Action, step.Target, PlanStatus.NothingToDo, summary, evidence ?? [], [], warnings ?? []) { Before = before };

    public static ActionPlan Change(StepContext step, string summary, IReadOnlyList<Evidence> evidence, IReadOnlyList<PlannedChange> changes,
        IReadOnlyList<string>? warnings = null, JsonElement? before = null) =>
        new(step.Action, step.Target, PlanStatus.ChangeRequired, summary, evidence, changes, warnings ?? []) { Before = before };

    public static ActionPlan Refused(StepContext step, GuardVerdict verdict) =>
        new(step.Action, step.Target, PlanStatus.Refused, verdict.Reason ?? "Refused by the tenant guard.", verdict.Evidence, [], []);

    public static ActionPlan Failed(StepContext step, ErrorInfo error, string summary) =>
        new(step.Action, step.Target, PlanStatus.Failed, summary, [], [], []) { Error = error };
}

/// <summary>The ways an apply can end; the outcome follows from the changes' own outcomes.</summary>
public static class Results
{
    public static ApplyResult Refused(StepContext step, GuardVerdict verdict) =>
        new(step.Action, step.Target, ApplyOutcome.Refused, verdict.Reason ?? "Refused by the tenant guard.", [], []);

    public static ApplyResult From(StepContext step, IReadOnlyList<ChangeResult> changes, string summary, JsonElement? before, JsonElement? after,
        IReadOnlyList<string>? warnings = null) =>
        new(step.Action, step.Target, OutcomeOf(changes), summary, changes, warnings ?? [])
        {
            Before = before,
            After = after,
            Error = changes.FirstOrDefault(c => c.Error is not null)?.Error,
        };

    public static ApplyOutcome OutcomeOf(IReadOnlyList<ChangeResult> changes)
    {
        var failed = changes.Count(c => c.Outcome is ChangeOutcome.Failed or ChangeOutcome.Refused);
        var done = changes.Count(c => c.Outcome == ChangeOutcome.Done);
        return failed switch
        {
            0 when done == 0 => ApplyOutcome.AlreadyInPlace,
            0 => ApplyOutcome.Applied,
            _ when changes.All(c => c.Outcome == ChangeOutcome.Refused) => ApplyOutcome.Refused,
            _ when failed == changes.Count => ApplyOutcome.Failed,
            _ => ApplyOutcome.PartiallyApplied,
        };
    }

    /// <summary>Makes one planned change and says how it went: see <see cref="ChangeRunner.RunAsync"/>.</summary>
    public static Task<ChangeResult> RunChangeAsync(PlannedChange change, Func<Task<ChangeOutcome>> apply) => ChangeRunner.RunAsync(change, apply);

    public static VerifyResult Verified(StepContext step, string detail) => new(step.Action, step.Target, VerifyOutcome.Verified, detail);

    public static VerifyResult Mismatch(StepContext step, string detail) => new(step.Action, step.Target, VerifyOutcome.Mismatch, detail);
}

/// <summary>Before/after states as JSON for the journal, in its own format.</summary>
public static class Snapshot
{
    public static JsonElement Of<T>(T value) => JsonSerializer.SerializeToElement(value, JournalJson.Options);

    /// <summary>The state as JSON, or null when there is none to keep.</summary>
    public static JsonElement? OfNullable(object? value) => value is null ? null : Of(value);
}
