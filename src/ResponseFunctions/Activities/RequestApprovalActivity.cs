using Microsoft.Azure.Functions.Worker;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Orchestration;

namespace ResponseFunctions.Activities;

/// <summary>The RequestApproval activity (<see cref="PlaybookActivities.RequestApprovalName"/>): delegates to <see cref="ContainmentActivities.RequestApprovalAsync"/>.</summary>
public sealed class RequestApprovalActivity(ContainmentActivities activities)
{
    [Function(PlaybookActivities.RequestApprovalName)]
    public Task<bool> Run([ActivityTrigger] ApprovalRequest input, FunctionContext context) =>
        activities.RequestApprovalAsync(input, context.CancellationToken);
}
