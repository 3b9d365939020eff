using System.Text.Json;
using ResponseFunctions.Playbook.Intake.Triage;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Intake;

/// <summary>The main courante's entries written by intake: the triage (first entry of the containment) and later deliveries of the same incident.</summary>
public static class TriageJournal
{
    public const string Triaged = "intake.triaged";
    public const string Duplicate = "intake.duplicate";
    public const string Refused = "intake.refused";

    /// <summary>In the first incident's journal: a follow-up containment was started for an update's new targets.</summary>
    public const string FollowUpStarted = "intake.follow-up-started";

    /// <summary>First entry of a follow-up's journal: which containment it follows.</summary>
    public const string FollowUpOf = "intake.follow-up-of";

    public static JournalEntry Entry(string instanceId, ContainmentRequest request, TriageResult triage, DateTimeOffset at) =>
        new($"{instanceId}/00/triage", at, request.IncidentId, request.RequestedBy, Triaged, Describe(triage.Source),
            $"cases {string.Join(", ", triage.Cases.Select(c => (int)c))}",
            string.Join(" ", triage.Reasons)
                + (triage.Ignored.Count > 0 ? $" Ignored: {string.Join("; ", triage.Ignored.Select(i => $"{i.Entity} ({i.Why})"))}." : string.Empty))
        {
            Data = JsonSerializer.SerializeToElement(triage, JournalJson.Options),
        };

    public static string Describe(IncidentSource source) =>
        source.Number is { } number ? $"{source.System} {number}" : $"{source.System} {source.Reference}";
}
