using ResponseFunctions.Facades;

namespace Microsoft.DurableTask;

public sealed class TaskFailedException : Exception
{
    public TaskFailedException(string taskName, int taskId, Exception innerException)
        : base($"Task '{taskName}' (#{taskId}) failed with an unhandled exception: {innerException?.Message}", innerException)
    {
        this.TaskName = taskName;
        this.TaskId = taskId;
        this.FailureDetails = null!; // the real constructor builds it with TaskFailureDetails.FromException
    }

    public TaskFailedException(string taskName, int taskId, TaskFailureDetails failureDetails)
        : base($"Task '{taskName}' (#{taskId}) failed with an unhandled exception: {failureDetails?.ErrorMessage}")
    {
        this.TaskName = taskName;
        this.TaskId = taskId;
        this.FailureDetails = failureDetails!;
    }

    public string TaskName { get; }

    public int TaskId { get; }

    public TaskFailureDetails FailureDetails { get; }

    [Obsolete("Use the FailureDetails property and its IsCausedBy<T>() method")]
    public bool IsCausedByException<T>()
        where T : Exception => throw Facade.NotSupported();
}

#pragma warning disable IDE1006 // PascalCase positional parameters, as upstream
public record TaskFailureDetails(
    string ErrorType,
    string ErrorMessage,
    string? StackTrace,
    TaskFailureDetails? InnerFailure,
    IDictionary<string, object?>? Properties)
#pragma warning restore IDE1006
{
    public override string ToString() => $"{this.ErrorType}: {this.ErrorMessage}";

    public static TaskFailureDetails FromException(Exception exception) => throw Facade.NotSupported();

    public bool IsCausedBy<T>()
        where T : Exception => throw Facade.NotSupported();

    public bool IsCausedBy(Type targetBaseExceptionType) => throw Facade.NotSupported();
}
