namespace ResponseFunctions.Playbook.Approval;

/// <summary>What a step does when its approval deadline passes with no decision.</summary>
public enum TimeoutAction
{
    /// <summary>Not applied (the default): silence is never consent.</summary>
    Abort,

    /// <summary>Applied anyway: only for actions and severities the policy pre-approves on timeout.</summary>
    Apply,
}
