using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Release.Activities;

namespace ResponseFunctions.Playbook.Release;

/// <summary>
/// The release's Durable tasks, registered beside the containment's (<c>AddContainmentTasks().AddReleaseTasks()</c>),
/// and its typed calls. The release also calls the containment's <c>Containment_RequestApproval</c> and
/// <c>Containment_Record</c>: approvals and decisions go through the same machinery and the same main courante.
/// </summary>
public static class ReleaseTasks
{
    public static DurableTaskRegistry AddReleaseTasks(this DurableTaskRegistry registry) => registry
        .AddOrchestrator<ReleaseOrchestrator>()
        .AddActivity<PrepareReleaseActivity>()
        .AddActivity<PlanReleaseStepActivity>()
        .AddActivity<ApplyReleaseStepActivity>()
        .AddActivity<VerifyReleaseStepActivity>();

    public static Task<PreparedRelease> PrepareReleaseAsync(this TaskOrchestrationContext context, ReleasePrepareInput input, TaskOptions retry) =>
        context.CallActivityAsync<PreparedRelease>(PrepareReleaseActivity.Name, input, retry);

    public static Task<ActionPlan> PlanReleaseStepAsync(this TaskOrchestrationContext context, ReleaseStep step, TaskOptions retry) =>
        context.CallActivityAsync<ActionPlan>(PlanReleaseStepActivity.Name, step, retry);

    public static Task<ApplyResult> ApplyReleaseStepAsync(this TaskOrchestrationContext context, ReleaseWork work, TaskOptions retry) =>
        context.CallActivityAsync<ApplyResult>(ApplyReleaseStepActivity.Name, work, retry);

    public static Task<VerifyResult> VerifyReleaseStepAsync(this TaskOrchestrationContext context, ReleaseWork work, TaskOptions retry) =>
        context.CallActivityAsync<VerifyResult>(VerifyReleaseStepActivity.Name, work, retry);
}
