using System.Text.Json;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.LocalEngine;

/// <summary>
/// Runs the containment orchestration in-process, for drills and tests: the same <see cref="ContainmentOrchestration"/>
/// as Durable Functions, with activities called directly. Inputs and outputs make the same JSON round trip as in
/// Durable, so a message that would not survive serialization fails here first.
/// </summary>
public sealed class LocalContainmentEngine(ContainmentActivities activities, IApprovalChannel approvals, TimeProvider time)
{
    private readonly ContainmentActivities _activities = activities;
    private readonly IApprovalChannel _approvals = approvals;
    private readonly TimeProvider _time = time;

    /// <summary>How often a step failing transiently is tried in all (Durable's retry policy does the same in Azure).</summary>
    public int MaxAttempts { get; init; } = 3;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    public Task<ContainmentReport> RunAsync(ContainmentRequest request, IProgress<ContainmentReport>? progress = null, CancellationToken cancellationToken = default)
    {
        var context = new Context(this, InstanceIds.ForIncident(request.IncidentId), progress, cancellationToken);
        return ContainmentOrchestration.RunAsync(context, request);
    }

    private static readonly JsonSerializerOptions WireFormat = new(JsonSerializerDefaults.Web);

    private static T RoundTrip<T>(T value) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, WireFormat), WireFormat)!;

    private sealed class Context(LocalContainmentEngine engine, string instanceId, IProgress<ContainmentReport>? progress, CancellationToken cancellationToken)
        : IContainmentContext
    {
        public string InstanceId => instanceId;

        public DateTimeOffset UtcNow => engine._time.GetUtcNow();

        public async Task<TOutput> CallActivityAsync<TInput, TOutput>(ActivityDefinition<TInput, TOutput> activity, TInput input)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return RoundTrip(await activity.Run(engine._activities, RoundTrip(input), cancellationToken));
                }
                catch (TransientFailureException) when (attempt < engine.MaxAttempts)
                {
                    await Task.Delay(engine.RetryDelay, engine._time, cancellationToken);
                }
                catch (TransientFailureException transient)
                {
                    throw new ActivityFailedException(activity.Name, transient.Error, transient);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    throw new ActivityFailedException(activity.Name, new ErrorInfo(ErrorKind.Unexpected, ex.GetType().Name, ex.Message), ex);
                }
            }
        }

        public Task<ApprovalDecision?> WaitForDecisionAsync(ApprovalRequest request, TimeSpan timeout) =>
            engine._approvals.DecideAsync(RoundTrip(request), timeout, cancellationToken);

        public Task DelayAsync(TimeSpan delay) => delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, engine._time, cancellationToken);

        public void SetStatus(ContainmentReport status) => progress?.Report(status);
    }
}
