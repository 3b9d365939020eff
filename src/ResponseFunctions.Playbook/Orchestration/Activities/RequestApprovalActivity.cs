using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Approval;

namespace ResponseFunctions.Playbook.Orchestration.Activities;

/// <summary>Journals an approval request with what the approver will see, and notifies the approvers (Teams).</summary>
[DurableTask(Name)]
public sealed class RequestApprovalActivity(ContainmentActivities activities) : TaskActivity<ApprovalRequest, bool>
{
    public const string Name = "Containment_RequestApproval";

    public override Task<bool> RunAsync(TaskActivityContext context, ApprovalRequest input) =>
        activities.RequestApprovalAsync(input, CancellationToken.None);
}
