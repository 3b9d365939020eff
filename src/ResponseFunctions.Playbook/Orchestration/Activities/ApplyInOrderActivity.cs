using Microsoft.DurableTask;

namespace ResponseFunctions.Playbook.Orchestration.Activities;

/// <summary>Applies and verifies several actions' approved steps of a wave, action after action in the sheet's order (a pass decided by policy).</summary>
[DurableTask(Name)]
public sealed class ApplyInOrderActivity(ContainmentActivities activities) : TaskActivity<WorkInOrder, IReadOnlyList<IReadOnlyList<StepOutcome>>>
{
    public const string Name = "Containment_ApplyInOrder";

    public override Task<IReadOnlyList<IReadOnlyList<StepOutcome>>> RunAsync(TaskActivityContext context, WorkInOrder input) =>
        activities.ApplyInOrderAsync(input, CancellationToken.None);
}
