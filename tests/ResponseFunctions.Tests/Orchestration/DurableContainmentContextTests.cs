using Microsoft.DurableTask;
using Moq;
using ResponseFunctions.Orchestration;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Tests.TestDoubles;

namespace ResponseFunctions.Tests.Orchestration;

public sealed class DurableContainmentContextTests
{
    private readonly Mock<TaskOrchestrationContext> _durable = new();

    public DurableContainmentContextTests()
    {
        _durable.SetupGet(c => c.InstanceId).Returns(Samples.InstanceId);
        _durable.SetupGet(c => c.CurrentUtcDateTime).Returns(Samples.Now);
    }

    [Fact]
    public async Task CallActivityAsync_AnyActivity_CallsItByRegisteredNameWithTheRetryPolicy()
    {
        var plan = new ActionPlan(ActionId.Parse("1.a"), Samples.Alice, PlanStatus.NothingToDo, "Nothing to do.", [], [], []);
        var step = Samples.Step();
        TaskName? calledName = null;
        object? calledInput = null;
        TaskOptions? calledOptions = null;
        _durable
            .Setup(c => c.CallActivityAsync<ActionPlan>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((name, input, options) => (calledName, calledInput, calledOptions) = (name, input, options))
            .ReturnsAsync(plan);

        var result = await new DurableContainmentContext(_durable.Object).CallActivityAsync(PlaybookActivities.PlanStep, step);

        Assert.Same(plan, result);
        Assert.Equal(PlaybookActivities.PlanStepName, calledName?.Name);
        Assert.Same(step, calledInput);
        var policy = calledOptions?.Retry?.Policy;
        Assert.NotNull(policy);
        Assert.Equal(3, policy.MaxNumberOfAttempts);
        Assert.Equal(TimeSpan.FromSeconds(5), policy.FirstRetryInterval);
        Assert.Equal(2, policy.BackoffCoefficient);
        Assert.Equal(TimeSpan.FromMinutes(1), policy.MaxRetryInterval);
    }

    [Theory]
    [InlineData("ResponseFunctions.Playbook.Orchestration.TransientFailureException", null, true)]
    [InlineData("System.AggregateException", "ResponseFunctions.Playbook.Orchestration.TransientFailureException", true)]
    [InlineData("System.InvalidOperationException", null, false)]
    [InlineData("(unknown)", null, false)]
    public void IsTransient_FailureType_RetriesOnlyTransientFailures(string errorType, string? innerType, bool expected)
    {
        var inner = innerType is null ? null : new TaskFailureDetails(innerType, "inner", null, null, null);

        Assert.Equal(expected, DurableContainmentContext.IsTransient(new TaskFailureDetails(errorType, "failed", null, inner, null)));
    }

    [Theory]
    [InlineData("ResponseFunctions.Playbook.Orchestration.TransientFailureException", ErrorKind.Transient)]
    [InlineData("System.InvalidOperationException", ErrorKind.Unexpected)]
    public async Task CallActivityAsync_TaskFailed_ThrowsActivityFailedWithTheFailureKind(string errorType, ErrorKind expected)
    {
        _durable
            .Setup(c => c.CallActivityAsync<ApplyResult>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ThrowsAsync(new TaskFailedException(PlaybookActivities.ApplyStepName, 7, new TaskFailureDetails(errorType, "Graph said 503.", null, null, null)));
        var work = new StepWork(Samples.Step(), new ActionPlan(ActionId.Parse("1.a"), Samples.Alice, PlanStatus.ChangeRequired, "Reset.", [], [], []));

        var failure = await Assert.ThrowsAsync<ActivityFailedException>(
            () => new DurableContainmentContext(_durable.Object).CallActivityAsync(PlaybookActivities.ApplyStep, work));

        Assert.Equal(PlaybookActivities.ApplyStepName, failure.ActivityName);
        Assert.Equal(expected, failure.Error.Kind);
        Assert.Equal(errorType, failure.Error.Code);
        Assert.Equal("Graph said 503.", failure.Error.Message);
        Assert.IsType<TaskFailedException>(failure.InnerException);
    }

    [Fact]
    public async Task WaitForDecisionAsync_EventBeforeTimer_ReturnsDecisionAndCancelsTimer()
    {
        var request = Samples.Approval("01-1a");
        var decision = new ApprovalDecision("01-1a", ApprovalVerdict.Approve, "bob@contoso.com", new DateTimeOffset(Samples.Now), "Go.");
        var timer = new TaskCompletionSource();
        CancellationToken timerToken = default;
        DateTime? fireAt = null;
        _durable
            .Setup(c => c.WaitForExternalEvent<ApprovalDecision>(ApprovalEvents.NameFor("01-1a"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(decision);
        _durable
            .Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Callback<DateTime, CancellationToken>((at, token) => (fireAt, timerToken) = (at, token))
            .Returns(timer.Task);

        var result = await new DurableContainmentContext(_durable.Object).WaitForDecisionAsync(request, TimeSpan.FromMinutes(30));

        Assert.Same(decision, result);
        Assert.True(timerToken.IsCancellationRequested);
        Assert.Equal(Samples.Now.AddMinutes(30), fireAt);
    }

    [Fact]
    public async Task WaitForDecisionAsync_TimerFirst_ReturnsNullAndStopsWaiting()
    {
        var pendingEvent = new TaskCompletionSource<ApprovalDecision>();
        CancellationToken eventToken = default;
        _durable
            .Setup(c => c.WaitForExternalEvent<ApprovalDecision>(ApprovalEvents.NameFor("01-1a"), It.IsAny<CancellationToken>()))
            .Callback<string, CancellationToken>((_, token) => eventToken = token)
            .Returns(pendingEvent.Task);
        _durable
            .Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns(Task.CompletedTask);

        var result = await new DurableContainmentContext(_durable.Object).WaitForDecisionAsync(Samples.Approval("01-1a"), TimeSpan.FromMinutes(30));

        Assert.Null(result);
        Assert.True(eventToken.IsCancellationRequested);
    }

    [Fact]
    public void UtcNow_OrchestrationTime_IsReplaySafeUtc()
    {
        var context = new DurableContainmentContext(_durable.Object);

        Assert.Equal(new DateTimeOffset(Samples.Now), context.UtcNow);
        Assert.Equal(TimeSpan.Zero, context.UtcNow.Offset);
        Assert.Equal(Samples.InstanceId, context.InstanceId);
    }

    [Fact]
    public void SetStatus_Report_PublishesItAsCustomStatus()
    {
        var report = Samples.Report();

        new DurableContainmentContext(_durable.Object).SetStatus(report);

        _durable.Verify(c => c.SetCustomStatus(report), Times.Once);
    }
}
