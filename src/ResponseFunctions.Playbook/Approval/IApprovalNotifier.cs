namespace ResponseFunctions.Playbook.Approval;

/// <summary>Tells approvers that a decision is waiting (Teams card, console, nothing). Sending twice must be harmless.</summary>
public interface IApprovalNotifier
{
    Task NotifyAsync(ApprovalRequest request, CancellationToken cancellationToken);
}

/// <summary>For hosts where approvers poll the status endpoint: the request is already journaled and in the status.</summary>
public sealed class NoApprovalNotifier : IApprovalNotifier
{
    public Task NotifyAsync(ApprovalRequest request, CancellationToken cancellationToken) => Task.CompletedTask;
}
