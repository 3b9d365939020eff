using System.Text.Json;
using ResponseFunctions.Playbook.Catalog;

namespace ResponseFunctions.Playbook.Journal;

/// <summary>
/// What a CERT reads first in a main courante: the incident and its source, how long containment took, and each
/// step's fate (applied, rejected, timed out, left to do by hand), computed from the journal alone.
/// </summary>
public sealed record MainCouranteSummary(
    string IncidentId,
    string? Source,
    string? SourceUrl,
    string? Reason,
    string? RequestedBy,
    DateTimeOffset? Started,
    DateTimeOffset? LastApplied,
    IReadOnlyList<string> Applied,
    IReadOnlyList<string> Rejected,
    IReadOnlyList<string> TimedOut,
    IReadOnlyList<string> Manual)
{
    /// <summary>From the request to the last change applied: the sheet's "endiguement" time.</summary>
    public TimeSpan? TimeToContain => Started is { } start && LastApplied is { } end && end >= start ? end - start : null;

    /// <summary>Release.ReleaseIds.Prefix: kept as text so the journal does not depend on the release.</summary>
    private const string ReleaseIdPrefix = "release-";

    public static MainCouranteSummary From(string incidentId, IReadOnlyList<JournalEntry> entries)
    {
        var started = entries.FirstOrDefault(e => e.Action == JournalEvents.Started);
        var (source, url, reason) = Request(started);

        // A step's fate is its last outcome of each kind, per action and target. A release's entries (ids "release-…")
        // undo steps: they are rows of the journal, not containment outcomes, and never extend the time to contain.
        entries = [.. entries.Where(e => !e.Id.StartsWith(ReleaseIdPrefix, StringComparison.Ordinal))];
        var steps = entries.Where(e => ActionId.TryParse(e.Action, out _)).GroupBy(e => (e.Action, e.Target)).ToList();
        List<string> applied = [], rejected = [], timedOut = [], manual = [];
        foreach (var step in steps)
        {
            var name = $"{TitleOf(step.Key.Action)} — {step.Key.Target}";
            var gate = step.LastOrDefault(e => e.Outcome.StartsWith("approval:", StringComparison.Ordinal) && !e.Outcome.StartsWith("approval:submitted", StringComparison.Ordinal)
                && e.Outcome != "approval:awaiting-second-approver")?.Outcome;
            var apply = step.LastOrDefault(e => e.Outcome.StartsWith("apply:", StringComparison.Ordinal))?.Outcome;
            var plan = step.LastOrDefault(e => e.Outcome.StartsWith("plan:", StringComparison.Ordinal))?.Outcome;
            switch (apply, gate, plan)
            {
                case ("apply:applied" or "apply:partially-applied", _, _):
                    applied.Add(name + (gate == "approval:timed-out-applied" ? " (timeout policy)" : apply == "apply:partially-applied" ? " (partially)" : string.Empty));
                    break;
                case ("apply:failed", _, _):
                    manual.Add(name + " (apply failed)");
                    break;
                case (_, "approval:rejected", _):
                    rejected.Add(name);
                    break;
                case (_, "approval:timed-out", _):
                    timedOut.Add(name);
                    break;
                case (null, _, "plan:not-built" or "plan:failed"):
                    manual.Add(name + (plan == "plan:not-built" ? " (not automated)" : " (planning failed)"));
                    break;
            }
        }

        var lastApplied = entries.Where(e => e.Outcome is "apply:applied" or "apply:partially-applied").Select(e => (DateTimeOffset?)e.At).Max();
        return new(incidentId, source, url, reason, started?.Actor, started?.At, lastApplied, applied, rejected, timedOut, manual);
    }

    /// <summary>"1.c Disable the account" for a sheet action, a readable name for an event, the raw value otherwise.</summary>
    public static string TitleOf(string action) =>
        ActionId.TryParse(action, out var id) && ActionCatalog.Contains(id) ? $"{action} {ActionCatalog.Get(id).Title}"
        : action switch
        {
            JournalEvents.Started => "Containment requested",
            JournalEvents.TargetUnresolved => "Target set aside",
            JournalEvents.Planned => "Containment planned",
            JournalEvents.ApprovalRequested => "Approval requested",
            JournalEvents.Completed => "Containment ended",
            Intake.TriageJournal.Triaged => "Incident triaged",
            Intake.TriageJournal.Duplicate => "Incident delivered again",
            "release.started" => "Release requested",
            "release.not-undone" => "Not undone: follow-up for a person",
            "release.completed" => "Release ended",
            _ => action,
        };

    /// <summary>The request, as the started entry keeps it: its reason and, for intake, the source incident.</summary>
    private static (string? Source, string? Url, string? Reason) Request(JournalEntry? started)
    {
        if (started?.Data is not { ValueKind: JsonValueKind.Object } data)
        {
            return (null, null, null);
        }

        var reason = Text(data, "reason");
        if (!data.TryGetProperty("triage", out var triage) || !triage.TryGetProperty("source", out var source))
        {
            return ($"Manual request by {started.Actor}", null, reason);
        }

        var label = string.Join(" ", new[] { Text(source, "system"), Text(source, "number") }.OfType<string>());
        var title = Text(source, "title");
        return (title is null ? label : $"{label} — {title}", Text(source, "url"), reason);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
