using Microsoft.Extensions.Logging;
using ResponseFunctions.Facades;

namespace Microsoft.DurableTask;

// Every abstract member of the real class is declared, so Moq (and the real runtime) see the same shape.
public abstract class TaskOrchestrationContext
{
    protected TaskOrchestrationContext()
    {
    }

    public abstract TaskName Name { get; }

    public abstract string InstanceId { get; }

    public abstract ParentOrchestrationInstance? Parent { get; }

    public abstract DateTime CurrentUtcDateTime { get; }

    public abstract bool IsReplaying { get; }

    public virtual string Version => throw Facade.NotSupported();

    public virtual IReadOnlyDictionary<string, object?> Properties => throw Facade.NotSupported();

    public virtual ILoggerFactory ReplaySafeLoggerFactory => throw Facade.NotSupported();

    protected abstract ILoggerFactory LoggerFactory { get; }

    public virtual Task CallActivityAsync(TaskName name, object? input = null, TaskOptions? options = null) => throw Facade.NotSupported();

    public virtual Task CallActivityAsync(TaskName name, TaskOptions options) => throw Facade.NotSupported();

    public virtual Task<TResult> CallActivityAsync<TResult>(TaskName name, TaskOptions options) => throw Facade.NotSupported();

    public abstract Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null);

    public abstract Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null);

    public virtual Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, TaskOptions options) => throw Facade.NotSupported();

    public virtual Task CallSubOrchestratorAsync(TaskName orchestratorName, TaskOptions options) => throw Facade.NotSupported();

    public virtual Task CallSubOrchestratorAsync(TaskName orchestratorName, object? input = null, TaskOptions? options = null) => throw Facade.NotSupported();

    public virtual int CompareVersionTo(string version) => throw Facade.NotSupported();

    public abstract void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true);

    public virtual ILogger CreateReplaySafeLogger(string categoryName) => throw Facade.NotSupported();

    public virtual ILogger CreateReplaySafeLogger(Type type) => throw Facade.NotSupported();

    public virtual ILogger CreateReplaySafeLogger<T>() => throw Facade.NotSupported();

    public virtual Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken) => throw Facade.NotSupported();

    public abstract Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken);

    public abstract T? GetInput<T>();

    public abstract Guid NewGuid();

    public abstract void SendEvent(string instanceId, string eventName, object payload);

    public abstract void SetCustomStatus(object? customStatus);

    public abstract Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default);

    // Non-virtual in the real class: a mock cannot intercept these, so host code must not call them.
    public Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout) => throw Facade.NotSupported();

    public Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout, CancellationToken cancellationToken) => throw Facade.NotSupported();
}
