using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Testing;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Release;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.InProcess;

/// <summary>
/// The playbook's <see cref="ContainmentOrchestrator"/> and activities in the real Durable Task engine, in this process.
/// Services are the host's (the caller registers the playbook, Graph, journal…); decisions come from an
/// <see cref="IApprovalChannel"/> and are raised as external events, as the approval page does in Azure.
/// </summary>
public sealed class InProcessEngine : IAsyncDisposable
{
    /// <summary>
    /// The isolated Functions worker's wire format: its default <c>JsonSerializerOptions</c> are the framework's, with
    /// property names matched case-insensitively (Microsoft.Azure.Functions.Worker, ConfigureJsonSerializerOptions),
    /// and the Durable extension serializes through them (ObjectConverterShim). A message that would not survive it fails here first.
    /// </summary>
    public static JsonSerializerOptions WorkerWireFormat { get; } = new() { PropertyNameCaseInsensitive = true };

    private readonly DurableTaskTestHost _host;
    private readonly ApprovalResponder _responder;
    private readonly HistoryCounter _histories;

    private InProcessEngine(DurableTaskTestHost host, ApprovalResponder responder, HistoryCounter histories)
    {
        _host = host;
        _responder = responder;
        _histories = histories;
    }

    /// <summary>
    /// The most history events each orchestration instance had when it last ran (read off the engine's stream to the
    /// worker: the in-memory engine keeps no history of finished instances).
    /// </summary>
    public IReadOnlyDictionary<string, int> HistoryEvents => _histories.Largest;

    /// <summary>Per instance, the bytes of history the engine sent with its episodes (see <see cref="HistoryCounter.Replayed"/>).</summary>
    public IReadOnlyDictionary<string, long> HistoryBytesReplayed => _histories.Replayed;

    public DurableTaskClient Client => _host.Client;

    /// <summary>The worker's services: those the activities run with.</summary>
    public IServiceProvider Services => _host.Services;

    public static async Task<InProcessEngine> StartAsync(
        Action<IServiceCollection> configureServices, IApprovalChannel? approvals = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        // The engine's gRPC sidecar is an ASP.NET Core host built with the framework's defaults, which log every request
        // to the console; its configuration comes from the environment, so that is where it is quietened.
        if (Environment.GetEnvironmentVariable("Logging__LogLevel__Default") is null)
        {
            Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
        }

        var responder = new ApprovalResponder(approvals);
        var histories = new HistoryCounter();
        var host = await DurableTaskTestHost.StartAsync(
            tasks => tasks.AddContainmentTasks().AddReleaseTasks(),
            new DurableTaskTestHostOptions
            {
                Port = FreeLoopbackPort(),
                LoggerFactory = loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
                ConfigureServices = services =>
                {
                    configureServices(services);
                    var converter = new JsonDataConverter(WorkerWireFormat);
                    services.Configure<DurableTaskWorkerOptions>(o => o.DataConverter = converter);
                    services.Configure<DurableTaskClientOptions>(o => o.DataConverter = converter);
                    services.PostConfigureAll<Microsoft.DurableTask.Worker.Grpc.GrpcDurableTaskWorkerOptions>(o => o.Interceptors.Add(histories));

                    // The responder sees every approval request the playbook sends (after the configured notifier, e.g. Teams).
                    var notifier = services.LastOrDefault(d => d.ServiceType == typeof(IApprovalNotifier));
                    services.RemoveAll<IApprovalNotifier>();
                    services.AddSingleton<IApprovalNotifier>(sp => responder.Wrap(notifier is null ? null : (IApprovalNotifier)Resolve(sp, notifier)));
                },
            },
            cancellationToken);
        responder.Attach(host.Client);
        return new InProcessEngine(host, responder, histories);
    }

    /// <summary>Runs the containment of <paramref name="request"/> to completion under the incident's instance id and returns its report.</summary>
    public async Task<ContainmentReport> RunAsync(ContainmentRequest request, CancellationToken cancellationToken = default)
    {
        var instanceId = await StartAsync(request, cancellationToken);
        return await WaitForReportAsync(instanceId, cancellationToken);
    }

    public Task<string> StartAsync(ContainmentRequest request, CancellationToken cancellationToken = default) =>
        Client.ScheduleNewOrchestrationInstanceAsync(
            new TaskName(ContainmentOrchestrator.Name), request, new StartOrchestrationOptions(InstanceIds.ForIncident(request.IncidentId)), cancellationToken);

    /// <summary>Waits for the instance to finish; its report, or <see cref="ContainmentFailedException"/> with the engine's failure details.</summary>
    public async Task<ContainmentReport> WaitForReportAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var instance = await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        await _responder.DrainAsync();
        if (instance.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            throw new ContainmentFailedException(instanceId, instance.RuntimeStatus, instance.FailureDetails);
        }

        return instance.ReadOutputAs<ContainmentReport>() ?? throw new ContainmentFailedException(instanceId, instance.RuntimeStatus, null);
    }

    /// <summary>Runs a release of a containment on this engine to completion, under its derived instance id, and returns its report.</summary>
    public async Task<ReleaseReport> RunReleaseAsync(ReleaseRequest request, CancellationToken cancellationToken = default)
    {
        var instanceId = await Client.ScheduleNewOrchestrationInstanceAsync(
            new TaskName(ReleaseOrchestrator.Name), request, new StartOrchestrationOptions(ReleaseIds.For(request.IncidentId, request.Selection)), cancellationToken);
        var instance = await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        await _responder.DrainAsync();
        if (instance.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            throw new ContainmentFailedException(instanceId, instance.RuntimeStatus, instance.FailureDetails);
        }

        return instance.ReadOutputAs<ReleaseReport>() ?? throw new ContainmentFailedException(instanceId, instance.RuntimeStatus, null);
    }

    public async ValueTask DisposeAsync()
    {
        await _responder.DisposeAsync();
        await _host.DisposeAsync();
    }

    /// <summary>A port nothing listens on now (the engine's own pick is random in 30000–40000 and may collide with a parallel run).</summary>
    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static object Resolve(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);
}

/// <summary>A containment that did not complete (failed or terminated); <see cref="Failure"/> says why, as the engine reported it.</summary>
public sealed class ContainmentFailedException(string instanceId, OrchestrationRuntimeStatus status, TaskFailureDetails? failure)
    : Exception($"Containment {instanceId} ended {status}: {failure?.ErrorMessage ?? "no output"}")
{
    public OrchestrationRuntimeStatus Status { get; } = status;

    public TaskFailureDetails? Failure { get; } = failure;
}
