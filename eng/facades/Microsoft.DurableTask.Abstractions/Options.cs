using System.Collections.Immutable;

namespace Microsoft.DurableTask;

// Data carriers: constructors and properties hold their values, as in the real package, so tests can build and
// inspect them. Behaviour (retry evaluation, serialization) is not here.
public record TaskOptions
{
    public TaskOptions(TaskRetryOptions? retry)
        : this(retry, null)
    {
    }

    public TaskOptions(TaskRetryOptions? retry = null, IDictionary<string, string>? tags = null)
    {
        this.Retry = retry;
        this.Tags = tags;
    }

    public TaskRetryOptions? Retry { get; init; }

    public IDictionary<string, string>? Tags { get; init; }

    public static TaskOptions FromRetryPolicy(RetryPolicy policy) => new(new TaskRetryOptions(policy));
}

public sealed class TaskRetryOptions
{
    public TaskRetryOptions(RetryPolicy policy)
    {
        this.Policy = policy ?? throw new ArgumentNullException(nameof(policy));
    }

    public RetryPolicy? Policy { get; }

    public static implicit operator TaskRetryOptions(RetryPolicy policy) => FromRetryPolicy(policy);

    public static TaskRetryOptions FromRetryPolicy(RetryPolicy policy) => new(policy);
}

public class RetryPolicy
{
#pragma warning disable CS0414, IDE0052 // kept like the real class keeps it; the facade never evaluates it
    private Func<TaskFailureDetails, bool>? handleFailure;
#pragma warning restore CS0414, IDE0052

    public RetryPolicy(
        int maxNumberOfAttempts,
        TimeSpan firstRetryInterval,
        double backoffCoefficient = 1.0,
        TimeSpan? maxRetryInterval = null,
        TimeSpan? retryTimeout = null)
    {
        this.MaxNumberOfAttempts = maxNumberOfAttempts;
        this.FirstRetryInterval = firstRetryInterval;
        this.BackoffCoefficient = backoffCoefficient;
        this.MaxRetryInterval = maxRetryInterval ?? TimeSpan.FromHours(1);
        this.RetryTimeout = retryTimeout ?? Timeout.InfiniteTimeSpan;
    }

    public int MaxNumberOfAttempts { get; }

    public TimeSpan FirstRetryInterval { get; }

    public double BackoffCoefficient { get; }

    public TimeSpan MaxRetryInterval { get; }

    public TimeSpan RetryTimeout { get; }

    /// <summary>The real getter wraps <see cref="HandleFailure"/> around TaskFailedException; not modelled here.</summary>
    public Func<Exception, bool> Handle => throw ResponseFunctions.Facades.Facade.NotSupported();

    /// <summary>Init-only in the real package too (there is no getter).</summary>
    public Func<TaskFailureDetails, bool> HandleFailure
    {
        init => this.handleFailure = value;
    }
}

public record StartOrchestrationOptions
{
#pragma warning disable IDE1006 // PascalCase parameter names, as upstream (positional-record compatibility)
    public StartOrchestrationOptions(string? InstanceId = null, DateTimeOffset? StartAt = null)
#pragma warning restore IDE1006
    {
        this.InstanceId = InstanceId;
        this.StartAt = StartAt;
    }

    public string? InstanceId { get; init; }

    public DateTimeOffset? StartAt { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = ImmutableDictionary.Create<string, string>();

    public IReadOnlyList<string>? DedupeStatuses { get; init; }
}

public record ParentOrchestrationInstance(TaskName Name, string InstanceId);
