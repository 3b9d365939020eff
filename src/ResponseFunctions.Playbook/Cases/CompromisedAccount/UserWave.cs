using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Graph;

namespace ResponseFunctions.Playbook.Cases.CompromisedAccount;

/// <summary>
/// Plans a wave's steps of 1.a, 1.b or 1.c from one read of the wave's users: GET /users?$filter=id in (...) with the
/// $select each step's own read uses, one request per <see cref="DirectoryReader.MaxInValues"/> users instead of one
/// per user. The three actions send the same list requests, so <see cref="GraphReadCache"/> answers the second and
/// third (and each user's own read at apply) while nothing was written to those users and within its lifetime.
/// Each step is planned by <see cref="ChangeRunner.PlanFromAsync"/> from its own user, exactly as from its own read.
/// </summary>
internal static class UserWave
{
    /// <summary>Steps planned at once, as the engine plans steps one by one (its batch's parallelism).</summary>
    private const int ParallelPlans = 16;

    public static async Task<IReadOnlyList<ActionPlan>> PlanAsync(
        ContainmentAction<UserState> action, ChangeRunner runner, DirectoryReader directory, IReadOnlyList<StepContext> steps, CancellationToken cancellationToken)
    {
        var users = await directory.FindUsersAsync(steps.Select(s => s.Target.Id), "id", cancellationToken);
        var plans = new ActionPlan[steps.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, steps.Count), new ParallelOptions { MaxDegreeOfParallelism = ParallelPlans, CancellationToken = cancellationToken },
            async (i, ct) => plans[i] = users.TryGetValue(steps[i].Target.Id, out var user)
                ? await runner.PlanFromAsync(action, steps[i], UserState.Of(user), ct)
                // Not in the list (deleted since it was resolved): planned alone, whose read says so as it always did.
                : await action.PlanAsync(steps[i], ct));
        return plans;
    }
}
