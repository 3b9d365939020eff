namespace ResponseFunctions.Playbook.Orchestration;

/// <summary>
/// Runs an orchestrator's work items with at most a given number in flight, and keeps their results in the items'
/// order. Deterministic: only durable tasks are awaited, and the next item starts when one finishes (the engine replays
/// completions in the order it recorded them), so a replay starts the same items in the same order.
/// </summary>
internal static class Bounded
{
    public static async Task<TResult[]> ForEachAsync<T, TResult>(IReadOnlyList<T> items, int limit, Func<T, Task<TResult>> run)
    {
        var results = new TResult[items.Count];
        var running = new List<Task>();
        var next = 0;
        while (next < items.Count || running.Count > 0)
        {
            while (running.Count < Math.Max(1, limit) && next < items.Count)
            {
                running.Add(RunOneAsync(next++));
            }

            var done = await Task.WhenAny(running);
            running.Remove(done);
            await done;
        }

        return results;

        async Task RunOneAsync(int index) => results[index] = await run(items[index]);
    }
}
