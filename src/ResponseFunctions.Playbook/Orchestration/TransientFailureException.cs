using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>Thrown by an activity when a later attempt may succeed (throttling or server errors that outlived the SDK's retries).</summary>
public sealed class TransientFailureException(ErrorInfo error, Exception? inner = null) : Exception(error.Message, inner)
{
    public ErrorInfo Error { get; } = error;
}
