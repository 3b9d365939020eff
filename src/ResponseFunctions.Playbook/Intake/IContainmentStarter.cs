using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Intake;

/// <summary>How a host starts containments: Durable Functions schedules an orchestration, the CLI runs the local engine.</summary>
public interface IContainmentStarter
{
    /// <summary>Whether a containment with this instance id exists (running or finished): one per incident, ever.</summary>
    Task<bool> ExistsAsync(string instanceId, CancellationToken cancellationToken);

    Task StartAsync(string instanceId, ContainmentRequest request, CancellationToken cancellationToken);
}
