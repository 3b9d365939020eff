using ResponseFunctions.Playbook.Approval;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// What the containment orchestration may use of its host. Durable Functions implements it over
/// <c>TaskOrchestrationContext</c>, the local engine in-process. The orchestration does no I/O of its own and
/// takes time only from here, so it replays deterministically.
/// </summary>
public interface IContainmentContext
{
    string InstanceId { get; }

    /// <summary>The orchestration's current time: replay-safe, always UTC.</summary>
    DateTimeOffset UtcNow { get; }

    /// <summary>Runs an activity. Failures surface as <see cref="ActivityFailedException"/>.</summary>
    Task<TOutput> CallActivityAsync<TInput, TOutput>(ActivityDefinition<TInput, TOutput> activity, TInput input);

    /// <summary>Waits for an approver's decision on <paramref name="request"/>; null when <paramref name="timeout"/> passes first.</summary>
    Task<ApprovalDecision?> WaitForDecisionAsync(ApprovalRequest request, TimeSpan timeout);

    /// <summary>Waits <paramref name="delay"/> (a durable timer in Durable Functions): the alert re-check after an isolation.</summary>
    Task DelayAsync(TimeSpan delay);

    /// <summary>Publishes progress (pending approvals, step results) for status queries.</summary>
    void SetStatus(ContainmentReport status);
}
