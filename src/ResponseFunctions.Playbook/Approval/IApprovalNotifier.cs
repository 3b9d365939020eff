namespace ResponseFunctions.Playbook.Approval;

/// <summary>Tells approvers that a decision is waiting (Teams card, console, nothing). Sending twice must be harmless.</summary>
public interface IApprovalNotifier
{
    Task NotifyAsync(ApprovalRequest request, CancellationToken cancellationToken);

    /// <summary>A step's gate ended (approved, rejected, timed out, waiting for a second approver) or the step was applied. Must not throw for delivery failures.</summary>
    Task NotifyFollowUpAsync(ApprovalFollowUp followUp, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>For hosts where approvers poll the status endpoint: the request is already journaled and in the status.</summary>
public sealed class NoApprovalNotifier : IApprovalNotifier
{
    public Task NotifyAsync(ApprovalRequest request, CancellationToken cancellationToken) => Task.CompletedTask;
}
