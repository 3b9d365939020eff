using ResponseFunctions.Playbook.Intake;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.InProcess;

/// <summary>Intake's containments in the in-process engine, each run to completion before the next (drills and tests read their reports).</summary>
public sealed class RunToCompletionStarter(InProcessEngine engine) : IContainmentStarter
{
    private readonly DurableContainmentStarter _starter = new(engine.Client);

    public List<ContainmentReport> Reports { get; } = [];

    public Task<bool> ExistsAsync(string instanceId, CancellationToken cancellationToken) => _starter.ExistsAsync(instanceId, cancellationToken);

    public async Task StartAsync(string instanceId, ContainmentRequest request, CancellationToken cancellationToken)
    {
        await _starter.StartAsync(instanceId, request, cancellationToken);
        Reports.Add(await engine.WaitForReportAsync(instanceId, cancellationToken));
    }
}
