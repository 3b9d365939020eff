using Microsoft.DurableTask;
using ResponseFunctions.Playbook.Actions;

namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>How the orchestration reads an activity's failure: transient (retry it) or not, and as the step's <see cref="ErrorInfo"/>.</summary>
public static class TaskFailures
{
    /// <summary>
    /// True when the failure (or one it wraps) was a <see cref="TransientFailureException"/>. The same test as
    /// <c>TaskFailureDetails.IsCausedBy&lt;TransientFailureException&gt;()</c> (the type is sealed, so its full name
    /// identifies it), looking through wrappers too: the isolated worker may report an async activity's exception
    /// inside an AggregateException.
    /// </summary>
    public static bool IsTransient(TaskFailureDetails failure) => FindTransient(failure) is not null;

    public static ErrorInfo ToErrorInfo(TaskFailedException failure)
    {
        if (failure.FailureDetails is not { } details)
        {
            return new ErrorInfo(ErrorKind.Unexpected, nameof(TaskFailedException), failure.Message);
        }

        return FindTransient(details) is { } transient
            ? new ErrorInfo(ErrorKind.Transient, transient.ErrorType, transient.ErrorMessage)
            : new ErrorInfo(ErrorKind.Unexpected, details.ErrorType, details.ErrorMessage);
    }

    private static TaskFailureDetails? FindTransient(TaskFailureDetails? failure)
    {
        for (var current = failure; current is not null; current = current.InnerFailure)
        {
            if (string.Equals(current.ErrorType, typeof(TransientFailureException).FullName, StringComparison.Ordinal))
            {
                return current;
            }
        }

        return null;
    }
}
