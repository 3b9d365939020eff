using ResponseFunctions.Facades;

namespace Microsoft.DurableTask;

public abstract class AsyncPageable<T> : IAsyncEnumerable<T>
    where T : notnull
{
    public abstract IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = default, int? pageSizeHint = default);

    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) => throw Facade.NotSupported();
}

public sealed class Page<T>(IReadOnlyList<T> values, string? continuationToken = null)
    where T : notnull
{
    public IReadOnlyList<T> Values { get; } = values;

    public string? ContinuationToken { get; } = continuationToken;
}
