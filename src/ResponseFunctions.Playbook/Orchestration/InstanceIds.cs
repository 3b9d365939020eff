namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>One containment per incident: the instance id is derived from the incident id, so a second start finds the first.</summary>
public static class InstanceIds
{
    private const string Prefix = "containment-";

    public static string ForIncident(string incidentId) => Prefix + incidentId.ToLowerInvariant();
}
