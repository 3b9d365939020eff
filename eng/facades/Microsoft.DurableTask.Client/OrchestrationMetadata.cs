using ResponseFunctions.Facades;

namespace Microsoft.DurableTask.Client;

// A data carrier: its init properties hold values so tests can describe an instance. The Read*As<T> members
// deserialize through the real DataConverter and throw here; IsRunning/IsCompleted are derived and throw too.
public sealed class OrchestrationMetadata
{
    public OrchestrationMetadata(string name, string instanceId)
    {
        this.Name = name;
        this.InstanceId = instanceId;
    }

    public string Name { get; }

    public string InstanceId { get; }

    public OrchestrationRuntimeStatus RuntimeStatus { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset LastUpdatedAt { get; init; }

    public string? SerializedInput { get; init; }

    public string? SerializedOutput { get; init; }

    public string? SerializedCustomStatus { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public TaskFailureDetails? FailureDetails { get; init; }

    public bool IsRunning => throw Facade.NotSupported();

    public bool IsCompleted => throw Facade.NotSupported();

    public T? ReadCustomStatusAs<T>() => throw Facade.NotSupported();

    public T? ReadInputAs<T>() => throw Facade.NotSupported();

    public T? ReadOutputAs<T>() => throw Facade.NotSupported();

    public override string ToString() => $"[{this.Name}, {this.InstanceId}, {this.RuntimeStatus}]";
}

public enum OrchestrationRuntimeStatus
{
    Running = 0,
    Completed = 1,
    ContinuedAsNew = 2,
    Failed = 3,
    Canceled = 4,
    Terminated = 5,
    Pending = 6,
    Suspended = 7,
}

#pragma warning disable IDE1006 // PascalCase positional parameters, as upstream
public record OrchestrationQuery(
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null,
    IEnumerable<OrchestrationRuntimeStatus>? Statuses = null,
    IEnumerable<string>? TaskHubNames = null,
    string? InstanceIdPrefix = null,
    int PageSize = OrchestrationQuery.DefaultPageSize,
    bool FetchInputsAndOutputs = false,
    string? ContinuationToken = null)
#pragma warning restore IDE1006
{
    public const int DefaultPageSize = 100;
}
