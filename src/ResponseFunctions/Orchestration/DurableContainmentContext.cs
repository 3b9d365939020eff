using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Orchestration;

namespace ResponseFunctions.Orchestration;

/// <summary>
/// The playbook's <see cref="IContainmentContext"/> over Durable Functions. Uses only the abstract members of
/// <see cref="TaskOrchestrationContext"/>: replay-safe time, activities by their registered names, durable timers
/// and external events.
/// </summary>
public sealed class DurableContainmentContext(TaskOrchestrationContext context) : IContainmentContext
{
    /// <summary>
    /// Three attempts (5 s, then 10 s apart, never more than a minute), and only for failures an activity marked
    /// transient: a refused or malformed change is not retried.
    /// </summary>
    internal static RetryPolicy RetryPolicy { get; } = new(
        maxNumberOfAttempts: 3,
        firstRetryInterval: TimeSpan.FromSeconds(5),
        backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromMinutes(1))
    {
        HandleFailure = IsTransient,
    };

    internal static TaskOptions ActivityOptions { get; } = TaskOptions.FromRetryPolicy(RetryPolicy);

    public string InstanceId => context.InstanceId;

    public DateTimeOffset UtcNow => new(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc), TimeSpan.Zero);

    public async Task<TOutput> CallActivityAsync<TInput, TOutput>(ActivityDefinition<TInput, TOutput> activity, TInput input)
    {
        try
        {
            return await context.CallActivityAsync<TOutput>(new TaskName(activity.Name), input, ActivityOptions);
        }
        catch (TaskFailedException failure)
        {
            throw new ActivityFailedException(activity.Name, ToErrorInfo(failure), failure);
        }
    }

    public async Task<ApprovalDecision?> WaitForDecisionAsync(ApprovalRequest request, TimeSpan timeout)
    {
        // Event and durable timer race; the loser is cancelled so that neither outlives the wait (a pending timer
        // would keep the orchestration alive until the deadline).
        using var cancellation = new CancellationTokenSource();
        var decision = context.WaitForExternalEvent<ApprovalDecision>(ApprovalEvents.NameFor(request.RequestId), cancellation.Token);
        var timer = context.CreateTimer(context.CurrentUtcDateTime + timeout, cancellation.Token);
        var winner = await Task.WhenAny(decision, timer);
        cancellation.Cancel();
        return winner == decision ? await decision : null;
    }

    public Task DelayAsync(TimeSpan delay) => context.CreateTimer(context.CurrentUtcDateTime + delay, CancellationToken.None);

    public void SetStatus(ContainmentReport status) => context.SetCustomStatus(status);

    /// <summary>
    /// True when the failure (or one it wraps) was a <see cref="TransientFailureException"/>. The same test as
    /// <c>TaskFailureDetails.IsCausedBy&lt;TransientFailureException&gt;()</c> (the type is sealed, so its full name
    /// identifies it) without that method's type loading, and it also looks through wrappers: the isolated worker
    /// reports an async activity's exception inside an AggregateException.
    /// </summary>
    internal static bool IsTransient(TaskFailureDetails? failure) => FindTransient(failure) is not null;

    internal static ErrorInfo ToErrorInfo(TaskFailedException failure)
    {
        if (failure.FailureDetails is not { } details)
        {
            return new ErrorInfo(ErrorKind.Unexpected, nameof(TaskFailedException), failure.Message);
        }

        return FindTransient(details) is { } transient
            ? new ErrorInfo(ErrorKind.Transient, transient.ErrorType, transient.ErrorMessage)
            : new ErrorInfo(ErrorKind.Unexpected, details.ErrorType, details.ErrorMessage);
    }

    private static TaskFailureDetails? FindTransient(TaskFailureDetails? failure)
    {
        for (var current = failure; current is not null; current = current.InnerFailure)
        {
            if (string.Equals(current.ErrorType, typeof(TransientFailureException).FullName, StringComparison.Ordinal))
            {
                return current;
            }
        }

        return null;
    }
}
