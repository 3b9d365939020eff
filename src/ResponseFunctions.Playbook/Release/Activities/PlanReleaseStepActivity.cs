using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Release.Activities;

/// <summary>Plans one restoring step (read-only): the journaled before-state against the tenant now.</summary>
[DurableTask(Name)]
public sealed class PlanReleaseStepActivity(ReleaseActivities activities) : TaskActivity<ReleaseStep, ActionPlan>
{
    public const string Name = "Release_PlanStep";

    public override Task<ActionPlan> RunAsync(TaskActivityContext context, ReleaseStep input) =>
        activities.PlanStepAsync(input, CancellationToken.None);
}
