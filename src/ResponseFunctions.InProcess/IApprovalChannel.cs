using ResponseFunctions.Playbook.Approval;

namespace ResponseFunctions.InProcess;

/// <summary>How the in-process engine obtains decisions: a console prompt, a fixed answer for drills, a script in tests.</summary>
public interface IApprovalChannel
{
    /// <summary>The decision on <paramref name="request"/>, or null if none came within <paramref name="timeout"/>.</summary>
    Task<ApprovalDecision?> DecideAsync(ApprovalRequest request, TimeSpan timeout, CancellationToken cancellationToken);
}
