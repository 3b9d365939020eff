using ResponseFunctions.Playbook.LocalEngine;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Intake;

/// <summary>Starts intake's containments with the local engine (CLI drills, tests): runs each to completion, once per instance id.</summary>
public sealed class LocalContainmentStarter(LocalContainmentEngine engine) : IContainmentStarter
{
    private readonly HashSet<string> _started = new(StringComparer.OrdinalIgnoreCase);

    public List<ContainmentReport> Reports { get; } = [];

    public Task<bool> ExistsAsync(string instanceId, CancellationToken cancellationToken) => Task.FromResult(_started.Contains(instanceId));

    public async Task StartAsync(string instanceId, ContainmentRequest request, CancellationToken cancellationToken)
    {
        _started.Add(instanceId);
        Reports.Add(await engine.RunAsync(request, cancellationToken: cancellationToken));
    }
}
