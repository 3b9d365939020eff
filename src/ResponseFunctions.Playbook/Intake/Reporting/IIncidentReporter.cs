namespace ResponseFunctions.Playbook.Intake.Reporting;

/// <summary>
/// Writes the containment's story back to the incident that started it (a Microsoft Sentinel incident's comments),
/// so the analysts working the incident see the plan, the decisions and the results where they work.
/// </summary>
public interface IIncidentReporter
{
    /// <summary>Posts (or, under the same id, overwrites) one comment; a retry never adds a second one.</summary>
    Task<IncidentCommentResult> PostAsync(IncidentComment comment, CancellationToken cancellationToken);
}

/// <summary>One comment: where, under which id (derived from the containment and phase), what.</summary>
public sealed record IncidentComment(string IncidentArmId, Guid CommentId, IncidentPhase Phase, string Message);

public enum IncidentPhase
{
    Plan,
    Decisions,
    Results,
}

public enum IncidentCommentOutcome
{
    Posted,
    Skipped,
    Failed,
}

public sealed record IncidentCommentResult(IncidentCommentOutcome Outcome, string Detail);

/// <summary>For hosts that report nowhere (no ARM access configured): says so in the journal instead of failing.</summary>
public sealed class NoIncidentReporter : IIncidentReporter
{
    public Task<IncidentCommentResult> PostAsync(IncidentComment comment, CancellationToken cancellationToken) =>
        Task.FromResult(new IncidentCommentResult(IncidentCommentOutcome.Skipped, "No incident reporting configured (Intake:Sentinel:ArmBaseUrl)."));
}
