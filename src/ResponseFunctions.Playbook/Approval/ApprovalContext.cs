using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Intake;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Approval;

/// <summary>
/// Why the approver is asked, as the approver needs it at 3 a.m.: the incident's reason, who or what asked, where it
/// comes from (with a link back to it), what implicates this target and which directory roles it holds.
/// </summary>
public sealed record ApprovalContext(
    string Reason,
    string RequestedBy,
    ApprovalSource Source,
    IReadOnlyList<Evidence> Implicating,
    IReadOnlyList<string> TargetRoles);

/// <summary>What started the containment: a Sentinel incident, an Identity Protection risk detection, or a person.</summary>
/// <param name="Number">What people call it: the Sentinel incident number, the detection's risk type.</param>
/// <param name="Url">The incident in the Defender/Sentinel portal, when the source gave one.</param>
public sealed record ApprovalSource(IncidentOrigin Origin, string System, string? Number, string? Title, string? Url);

public enum IncidentOrigin
{
    /// <summary>An analyst (or a drill) asked through the API.</summary>
    Manual,
    SentinelIncident,
    RiskDetection,
}

/// <summary>The incident as prepared once for every step: built by the Prepare activity, turned into each request's <see cref="ApprovalContext"/>.</summary>
/// <param name="RolesByTarget">Directory roles of each user and application target, by object id (read once, at preparation).</param>
public sealed record IncidentBriefing(
    string Reason,
    string RequestedBy,
    ApprovalSource Source,
    IReadOnlyList<Evidence> Signals,
    IReadOnlyDictionary<string, IReadOnlyList<string>> RolesByTarget)
{
    /// <summary>The briefing of a request: intake's triage (detections, alerts, entities) when there is one, else the analyst's reason.</summary>
    public static IncidentBriefing From(ContainmentRequest request, IReadOnlyDictionary<string, IReadOnlyList<string>> rolesByTarget)
    {
        if (request.Triage is not { } triage)
        {
            return new(request.Reason, request.RequestedBy, new ApprovalSource(IncidentOrigin.Manual, "API", null, null, null), [], rolesByTarget);
        }

        var source = triage.Source;
        var origin = source.System == IncidentSource.IdentityProtection ? IncidentOrigin.RiskDetection : IncidentOrigin.SentinelIncident;
        var signals = triage.Reasons.Select(r => new Evidence(origin == IncidentOrigin.RiskDetection ? "Detection" : "Alert / rule", r))
            .Concat(triage.Evidence)
            .ToList();
        return new(request.Reason, request.RequestedBy, new ApprovalSource(origin, source.System, source.Number, source.Title, source.Url), signals, rolesByTarget);
    }

    /// <summary>
    /// What implicates <paramref name="target"/>: the source's signals that name it (by id or name), else all of them
    /// (an incident-wide rule match implicates every target it produced).
    /// </summary>
    public ApprovalContext For(ActionTarget target)
    {
        var naming = Signals.Where(s => Names(s.Value, target)).ToList();
        return new(Reason, RequestedBy, Source, naming.Count > 0 ? naming : Signals, RolesByTarget.GetValueOrDefault(target.Id) ?? []);
    }

    private static bool Names(string text, ActionTarget target) =>
        text.Contains(target.Id, StringComparison.OrdinalIgnoreCase)
        || (target.Name.Length > 2 && text.Contains(target.Name, StringComparison.OrdinalIgnoreCase));
}
