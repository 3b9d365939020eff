using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Intake.Reporting;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration.Activities;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// The containment's Durable tasks: one registration for every host (Azure Functions, drills, tests), and typed calls
/// so that no activity name is spelled anywhere else. These are what the SDK's <c>[DurableTask]</c> source generator
/// would write; its package (Microsoft.DurableTask.Generators) is not served here, so they are written by hand.
/// </summary>
public static class ContainmentTasks
{
    /// <summary>Registers the orchestrator and its activities, under the names their <see cref="DurableTaskAttribute"/> give.</summary>
    public static DurableTaskRegistry AddContainmentTasks(this DurableTaskRegistry registry) => registry
        .AddOrchestrator<ContainmentOrchestrator>()
        .AddOrchestrator<ContainmentWaveOrchestrator>()
        .AddOrchestrator<ContainmentWaveGroupOrchestrator>()
        .AddActivity<PrepareActivity>()
        .AddActivity<PlanStepActivity>()
        .AddActivity<PlanStepsActivity>()
        .AddActivity<ApplyStepsActivity>()
        .AddActivity<ApplyInOrderActivity>()
        .AddActivity<RecordManyActivity>()
        .AddActivity<RequestApprovalActivity>()
        .AddActivity<ApplyStepActivity>()
        .AddActivity<VerifyStepActivity>()
        .AddActivity<RecordActivity>()
        .AddActivity<ReportToIncidentActivity>()
        .AddActivity<CheckAlertsAfterIsolationActivity>()
        .AddActivity<ReadJournalAnchorActivity>();

    /// <summary>
    /// The one retry policy of every activity: three attempts (by default 5 s, then 10 s apart, never more than a
    /// minute), and only for failures an activity marked transient: a refused or malformed change is not retried.
    /// </summary>
    public static TaskOptions Retried(ContainmentEngineOptions options) => TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 3,
        firstRetryInterval: options.FirstRetryInterval,
        backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromMinutes(1))
    {
        HandleFailure = TaskFailures.IsTransient,
    });

    /// <summary>The orchestration's current time: replay-safe, always UTC.</summary>
    public static DateTimeOffset UtcNow(this TaskOrchestrationContext context) =>
        new(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc), TimeSpan.Zero);

    public static Task<PreparedContainment> PrepareAsync(this TaskOrchestrationContext context, PrepareInput input, TaskOptions retry) =>
        context.CallActivityAsync<PreparedContainment>(PrepareActivity.Name, input, retry);

    /// <summary>Runs one wave of the containment as a sub-orchestration, under an instance id derived from the containment's.</summary>
    public static Task<WaveReport> RunWaveAsync(this TaskOrchestrationContext context, ContainmentWave wave) =>
        context.CallSubOrchestratorAsync<WaveReport>(ContainmentWaveOrchestrator.Name, wave,
            new TaskOptions().WithInstanceId(ContainmentWave.InstanceIdOf(wave.ParentInstanceId, wave.Number)));

    /// <summary>Runs a group of the containment's waves as a sub-orchestration, under an instance id derived from the containment's.</summary>
    public static Task<WaveReport> RunWaveGroupAsync(this TaskOrchestrationContext context, WaveGroup group) =>
        context.CallSubOrchestratorAsync<WaveReport>(ContainmentWaveGroupOrchestrator.Name, group, new TaskOptions().WithInstanceId(group.InstanceId));

    public static Task<ActionPlan> PlanStepAsync(this TaskOrchestrationContext context, StepContext step, TaskOptions retry) =>
        context.CallActivityAsync<ActionPlan>(PlanStepActivity.Name, step, retry);

    public static Task<bool> RequestApprovalAsync(this TaskOrchestrationContext context, ApprovalRequest request, TaskOptions retry) =>
        context.CallActivityAsync<bool>(RequestApprovalActivity.Name, request, retry);

    public static Task<IReadOnlyList<ActionPlan?>> PlanStepsAsync(this TaskOrchestrationContext context, StepBatch batch, TaskOptions retry) =>
        context.CallActivityAsync<IReadOnlyList<ActionPlan?>>(PlanStepsActivity.Name, batch, retry);

    public static Task<IReadOnlyList<StepOutcome>> ApplyStepsAsync(this TaskOrchestrationContext context, WorkBatch batch, TaskOptions retry) =>
        context.CallActivityAsync<IReadOnlyList<StepOutcome>>(ApplyStepsActivity.Name, batch, retry);

    public static Task<IReadOnlyList<IReadOnlyList<StepOutcome>>> ApplyInOrderAsync(this TaskOrchestrationContext context, WorkInOrder work, TaskOptions retry) =>
        context.CallActivityAsync<IReadOnlyList<IReadOnlyList<StepOutcome>>>(ApplyInOrderActivity.Name, work, retry);

    public static Task<bool> RecordManyAsync(this TaskOrchestrationContext context, IReadOnlyList<JournalEntry> entries, TaskOptions retry) =>
        context.CallActivityAsync<bool>(RecordManyActivity.Name, entries, retry);

    public static Task<ApplyResult> ApplyStepAsync(this TaskOrchestrationContext context, StepWork work, TaskOptions retry) =>
        context.CallActivityAsync<ApplyResult>(ApplyStepActivity.Name, work, retry);

    public static Task<VerifyResult> VerifyStepAsync(this TaskOrchestrationContext context, StepWork work, TaskOptions retry) =>
        context.CallActivityAsync<VerifyResult>(VerifyStepActivity.Name, work, retry);

    public static Task<bool> RecordAsync(this TaskOrchestrationContext context, JournalEntry entry, TaskOptions retry) =>
        context.CallActivityAsync<bool>(RecordActivity.Name, entry, retry);

    public static Task<bool> ReportToIncidentAsync(this TaskOrchestrationContext context, IncidentReportInput input, TaskOptions retry) =>
        context.CallActivityAsync<bool>(ReportToIncidentActivity.Name, input, retry);

    public static Task<bool> CheckAlertsAfterIsolationAsync(this TaskOrchestrationContext context, AlertCheckInput input, TaskOptions retry) =>
        context.CallActivityAsync<bool>(CheckAlertsAfterIsolationActivity.Name, input, retry);

    public static Task<ChainAnchor?> ReadJournalAnchorAsync(this TaskOrchestrationContext context, string incidentId, TaskOptions retry) =>
        context.CallActivityAsync<ChainAnchor?>(ReadJournalAnchorActivity.Name, incidentId, retry);
}

/// <summary>Input of <see cref="CheckAlertsAfterIsolationActivity"/>: the isolated resource's step and when isolation was verified.</summary>
public sealed record AlertCheckInput(StepContext Step, DateTimeOffset IsolatedAt);

/// <summary>How the engine runs the containment's activities (section <c>Containment:Engine</c>).</summary>
public sealed class ContainmentEngineOptions
{
    public const string SectionName = "Containment:Engine";

    /// <summary>Wait before the second attempt of an activity that failed transiently (doubled before the third).</summary>
    public TimeSpan FirstRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Targets per wave: each wave is a sub-orchestration that plans, gates and applies the steps of its targets, so no
    /// single instance's history grows with the incident (see also <see cref="MaxWavesPerGroup"/>).
    /// </summary>
    public int WaveSize { get; set; } = 50;

    /// <summary>Waves in their P0 steps at once: a wave's P0 changes start as soon as its own plans are decided, whatever the others do.</summary>
    public int MaxParallelWaves { get; set; } = 4;

    /// <summary>Waves running at once in all, those whose P0 steps are done and whose P1 steps go on included.</summary>
    public int MaxRunningWaves { get; set; } = 12;

    /// <summary>
    /// Waves (or groups of waves) one instance runs: a containment of more waves runs them in groups, each a
    /// sub-orchestration of at most this many, nested as deep as the incident needs, so that no instance's history
    /// grows with the incident. P0 slots pass from group to group as waves finish their P0 steps.
    /// </summary>
    public int MaxWavesPerGroup { get; set; } = 8;

    /// <summary>
    /// Steps of one wave planned or applied at once (one action at a time, in the sheet's order, across the wave's
    /// targets). A wave does one action's steps in one activity (a batch), this many at a time inside it.
    /// </summary>
    public int MaxParallelSteps { get; set; } = 16;
}

/// <summary>Input of <see cref="PrepareActivity"/>.</summary>
public sealed record PrepareInput(string InstanceId, Requests.ContainmentRequest Request, DateTimeOffset StartedAt);

/// <summary>A step and the plan an approver saw: apply and verify work from this, not from a new plan.</summary>
public sealed record StepWork(StepContext Step, ActionPlan Plan);
