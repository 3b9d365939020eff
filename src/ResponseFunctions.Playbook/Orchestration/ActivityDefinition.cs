namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// A typed handle on an activity: its registered name and how to run it. Orchestrations call activities through
/// these, never by a string; hosts register one function per definition under <see cref="Name"/>.
/// </summary>
public sealed record ActivityDefinition<TInput, TOutput>(
    string Name,
    Func<ContainmentActivities, TInput, CancellationToken, Task<TOutput>> Run);
