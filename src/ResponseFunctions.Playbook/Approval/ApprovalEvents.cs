namespace ResponseFunctions.Playbook.Approval;

/// <summary>Names of the external events that carry decisions to a waiting orchestration.</summary>
public static class ApprovalEvents
{
    private const string Prefix = "approval:";

    public static string NameFor(string requestId) => Prefix + requestId;
}
