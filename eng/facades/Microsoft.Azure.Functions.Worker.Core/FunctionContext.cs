using Microsoft.Extensions.Logging;
using ResponseFunctions.Facades;

namespace Microsoft.Azure.Functions.Worker;

public abstract class FunctionContext
{
    protected FunctionContext()
    {
    }

    public abstract string InvocationId { get; }

    public abstract string FunctionId { get; }

    public abstract TraceContext TraceContext { get; }

    public abstract BindingContext BindingContext { get; }

    public abstract RetryContext RetryContext { get; }

    public abstract IServiceProvider InstanceServices { get; set; }

    public abstract FunctionDefinition FunctionDefinition { get; }

    public abstract IDictionary<object, object> Items { get; set; }

    public abstract IInvocationFeatures Features { get; }

    public virtual CancellationToken CancellationToken => throw Facade.NotSupported();
}

// The types FunctionContext exposes. Only the members listed are declared (the real ones have more): mock them,
// do not hand-write subclasses, which would not compile against the real package.
public abstract class TraceContext
{
    public abstract string TraceParent { get; }

    public abstract string TraceState { get; }
}

public abstract class BindingContext
{
    public abstract IReadOnlyDictionary<string, object?> BindingData { get; }
}

public abstract class RetryContext
{
    public abstract int RetryCount { get; }

    public abstract int MaxRetryCount { get; }
}

public abstract class FunctionDefinition
{
    public abstract string PathToAssembly { get; }

    public abstract string EntryPoint { get; }

    public abstract string Id { get; }

    public abstract string Name { get; }
}

public interface IInvocationFeatures : IEnumerable<KeyValuePair<Type, object>>
{
    void Set<T>(T instance);

    T? Get<T>();
}

public static class FunctionContextLoggerExtensions
{
    public static ILogger<T> GetLogger<T>(this FunctionContext context) => throw Facade.NotSupported();

    public static ILogger GetLogger(this FunctionContext context, string categoryName) => throw Facade.NotSupported();
}
