using Microsoft.DurableTask;
using Moq;
using ResponseFunctions.Orchestration;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Requests;
using ResponseFunctions.Tests.TestDoubles;

namespace ResponseFunctions.Tests.Orchestration;

/// <summary>The orchestrator function runs the playbook's real orchestration; every effect goes through activities.</summary>
public sealed class ContainmentOrchestratorTests
{
    [Fact]
    public async Task Run_StepWithNothingToDo_PlansRecordsAndCompletesThroughActivitiesOnly()
    {
        var durable = new Mock<TaskOrchestrationContext>();
        var request = Samples.Request(ContainmentMode.Contain);
        var step = Samples.Step(1, "1.a");
        var calls = new List<string>();
        JournalEntry? completion = null;
        durable.SetupGet(c => c.InstanceId).Returns(Samples.InstanceId);
        durable.SetupGet(c => c.CurrentUtcDateTime).Returns(Samples.Now);
        durable.Setup(c => c.GetInput<ContainmentRequest>()).Returns(request);
        durable
            .Setup(c => c.CallActivityAsync<PreparedContainment>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((name, _, _) => calls.Add(name.Name))
            .ReturnsAsync(Samples.Prepared(step));
        durable
            .Setup(c => c.CallActivityAsync<ActionPlan>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((name, _, _) => calls.Add(name.Name))
            .ReturnsAsync(new ActionPlan(step.Action, step.Target, PlanStatus.NothingToDo, "Password already reset after the incident.", [], [], []));
        durable
            .Setup(c => c.CallActivityAsync<bool>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((name, input, _) =>
            {
                calls.Add(name.Name);
                completion = input as JournalEntry;
            })
            .ReturnsAsync(true);

        var report = await ContainmentOrchestrator.Run(durable.Object);

        Assert.Equal([PlaybookActivities.PrepareName, PlaybookActivities.PlanStepName, PlaybookActivities.RecordName], calls);
        Assert.Equal(ContainmentPhase.Completed, report.Phase);
        Assert.Equal(PlanStatus.NothingToDo, Assert.Single(report.Steps).Plan);
        Assert.Empty(report.PendingApprovals);
        Assert.Equal(JournalEvents.Completed, completion?.Action);
        durable.Verify(c => c.SetCustomStatus(It.Is<object?>(s => s is ContainmentReport)), Times.AtLeastOnce);
        durable.Verify(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()), Times.Never);
        durable.Verify(c => c.WaitForExternalEvent<ApprovalDecision>(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Run_NoInput_Throws()
    {
        var durable = new Mock<TaskOrchestrationContext>();

        await Assert.ThrowsAsync<InvalidOperationException>(() => ContainmentOrchestrator.Run(durable.Object));
    }
}
