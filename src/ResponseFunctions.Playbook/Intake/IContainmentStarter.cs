using ResponseFunctions.Playbook.Requests;

namespace ResponseFunctions.Playbook.Intake;

/// <summary>How a host starts containments: as Durable orchestrations, in Azure Functions or in the in-process engine (drills, tests).</summary>
public interface IContainmentStarter
{
    /// <summary>Whether a containment with this instance id exists (running or finished): one per incident, ever.</summary>
    Task<bool> ExistsAsync(string instanceId, CancellationToken cancellationToken);

    Task StartAsync(string instanceId, ContainmentRequest request, CancellationToken cancellationToken);
}
