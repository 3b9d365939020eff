using System.Net;
using System.Text;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Orchestration;

namespace ResponseFunctions.Playbook.Intake.Reporting;

/// <summary>
/// The three comments a containment writes on its incident, as HTML (what Sentinel renders in comments). Pure
/// functions of the report, so the orchestration can build them deterministically on replay.
/// </summary>
public static class IncidentComments
{
    /// <summary>
    /// Steps listed one by one in a comment; the rest are counted per action. A password spray's containment has
    /// thousands of steps: its comments (and the orchestration history that carries them) must not grow with them.
    /// </summary>
    public const int MaxListedSteps = 40;

    public static IncidentComment For(string instanceId, string incidentArmId, IncidentPhase phase, ContainmentReport report) =>
        new(incidentArmId, CommentId(instanceId, phase), phase, phase switch
        {
            IncidentPhase.Plan => Plan(report),
            IncidentPhase.Decisions => Decisions(report),
            _ => Results(report),
        });

    /// <summary>Derived from the containment and the phase: a retry overwrites its own comment, never adds another.</summary>
    public static Guid CommentId(string instanceId, IncidentPhase phase) => IntakeIds.DeterministicGuid($"{instanceId}/incident-comment/{phase}");

    private static string Plan(ContainmentReport report)
    {
        var text = Header(report, "plan");
        text.Append(report.Mode == Requests.ContainmentMode.Plan
            ? "Dry run: nothing will change.<br>"
            : "Every destructive step waits for an approver's decision (or the policy's pre-approval).<br>");
        AppendSteps(text, report, report.Steps, step => $"{Kebab(step.Plan)}: {Html(step.Summary)}", step => Kebab(step.Plan));
        foreach (var unresolved in report.Unresolved.Take(MaxListedSteps))
        {
            text.Append($"Set aside: {Html(unresolved.Value)} ({Html(unresolved.Reason)}).<br>");
        }

        return text.ToString();
    }

    private static string Decisions(ContainmentReport report)
    {
        var text = Header(report, "decisions");
        AppendSteps(text, report, [.. report.Steps.Where(s => s.Approval is not null)],
            step => $"{Kebab(step.Approval)} by {Html(step.DecidedBy ?? "policy")}", step => Kebab(step.Approval));
        if (report.Steps.All(s => s.Approval is null))
        {
            text.Append("No step needed a decision.<br>");
        }

        return text.ToString();
    }

    private static string Results(ContainmentReport report)
    {
        var text = Header(report, "results");
        AppendSteps(text, report, report.Steps, step => Outcome(step) + (step.Error is { } error ? $" — {Html(error.Message)}" : ""), Outcome);
        if (report.Steps.Any(s => s.Action == ActionId.Parse("1.b") && s.Apply is ApplyOutcome.Applied))
        {
            text.Append($"<b>Caveat:</b> {Html(Cases.CompromisedAccount.RevokeSessions.TokenLifetimeCaveat)}<br>");
        }

        if (report.Steps.Any(s => s.Plan == PlanStatus.NotBuilt))
        {
            text.Append("Steps marked not-built are to be done by hand (see the sheet).<br>");
        }

        return text.ToString();
    }

    private static string Outcome(StepReport step) =>
        step.Apply is { } apply
            ? $"apply {ContainmentActivities.Kebab(apply)}" + (step.Verify is { } verify ? $", verify {ContainmentActivities.Kebab(verify)}" : "")
            : $"not applied (plan {Kebab(step.Plan)}, decision {Kebab(step.Approval)})";

    /// <summary>The first <see cref="MaxListedSteps"/> steps one per line, then the others counted per action and outcome.</summary>
    private static void AppendSteps(StringBuilder text, ContainmentReport report, IReadOnlyList<StepReport> steps, Func<StepReport, string> line, Func<StepReport, string> outcome)
    {
        text.Append("<ul>");
        foreach (var step in steps.Take(MaxListedSteps))
        {
            text.Append($"<li>{Step(step)}: {line(step)}</li>");
        }

        text.Append("</ul>");
        if (steps.Count <= MaxListedSteps)
        {
            return;
        }

        text.Append($"… and {steps.Count - MaxListedSteps} more steps:<ul>");
        foreach (var group in steps.Skip(MaxListedSteps).GroupBy(s => (s.Action, s.Title, Outcome: outcome(s))))
        {
            text.Append($"<li>{group.Key.Action} {Html(group.Key.Title)}: {group.Count()} × {group.Key.Outcome}</li>");
        }

        text.Append($"</ul>Every step is in the main courante and at GET /api/containments/{Html(report.InstanceId)}.<br>");
    }

    private static StringBuilder Header(ContainmentReport report, string phase) =>
        new($"<b>ResponseFunctions — containment {Html(report.InstanceId)}: {phase}</b><br>");

    private static string Step(StepReport step) => $"{step.Action} {Html(step.Title)} ({Html(step.Target.ToString())})";

    private static string Kebab<T>(T? value)
        where T : struct, Enum => value is { } v ? ContainmentActivities.Kebab(v) : "none";

    private static string Html(string? text) => WebUtility.HtmlEncode(text ?? "");
}
