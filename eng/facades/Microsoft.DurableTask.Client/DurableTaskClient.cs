using ResponseFunctions.Facades;

namespace Microsoft.DurableTask.Client;

// Every abstract member of the real class is declared (so Moq builds the same proxy it would over the real one);
// virtual members are the real overloads, bodies throw. The real class also implements the infrastructure
// interface Microsoft.DurableTask.Internal.IOrchestrationSubmitter, left out here.
public abstract class DurableTaskClient : IAsyncDisposable
{
    protected DurableTaskClient(string name)
    {
        this.Name = name;
    }

    public string Name { get; }

    public abstract ValueTask DisposeAsync();

    public abstract AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null);

    public virtual Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken cancellation) => throw Facade.NotSupported();

    public virtual Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw Facade.NotSupported();

    public virtual Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, CancellationToken cancellation) => throw Facade.NotSupported();

    public abstract Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default);

    public virtual Task RaiseEventAsync(string instanceId, string eventName, CancellationToken cancellation) => throw Facade.NotSupported();

    public abstract Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default);

    public virtual Task ResumeInstanceAsync(string instanceId, CancellationToken cancellation) => throw Facade.NotSupported();

    public abstract Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default);

    public virtual Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, CancellationToken cancellation) => throw Facade.NotSupported();

    public virtual Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input, CancellationToken cancellation) => throw Facade.NotSupported();

    public virtual Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, StartOrchestrationOptions options, CancellationToken cancellation = default) => throw Facade.NotSupported();

    public abstract Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default);

    public virtual Task SuspendInstanceAsync(string instanceId, CancellationToken cancellation) => throw Facade.NotSupported();

    public abstract Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default);

    public virtual Task TerminateInstanceAsync(string instanceId, CancellationToken cancellation) => throw Facade.NotSupported();

    public virtual Task TerminateInstanceAsync(string instanceId, object? output, CancellationToken cancellation = default) => throw Facade.NotSupported();

    public virtual Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, CancellationToken cancellation) => throw Facade.NotSupported();

    public abstract Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default);

    public virtual Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, CancellationToken cancellation) => throw Facade.NotSupported();

    public abstract Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default);
}
