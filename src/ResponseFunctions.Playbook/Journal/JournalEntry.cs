using System.Text.Json;

namespace ResponseFunctions.Playbook.Journal;

/// <summary>
/// One line of the incident's main courante: when (UTC), who, what (sheet action id or event name), on which
/// accounts or resources, with what outcome. <see cref="Data"/> keeps the before/after state and evidence.
/// </summary>
/// <param name="Id">Deterministic per containment and step, so an activity retried by the host cannot write a line twice.</param>
public sealed record JournalEntry(
    string Id,
    DateTimeOffset At,
    string IncidentId,
    string Actor,
    string Action,
    string Target,
    string Outcome,
    string Detail)
{
    public JsonElement? Data { get; init; }
}
