using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>An activity failed after its retries; the orchestration records the step as failed and goes on with the others.</summary>
public sealed class ActivityFailedException(string activityName, ErrorInfo error, Exception? inner = null)
    : Exception($"Activity {activityName} failed: {error.Message}", inner)
{
    public string ActivityName { get; } = activityName;

    public ErrorInfo Error { get; } = error;
}
