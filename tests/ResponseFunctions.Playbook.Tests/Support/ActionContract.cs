using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.SimulatedTenant;

namespace ResponseFunctions.Playbook.Tests.Support;

/// <summary>
/// What every action owes, checked the same way for each (each action's own test file calls these with its step and
/// the request its change sends): plan then apply then verify, a second apply that sends nothing, the guard refusing
/// at plan and again at apply, a permanent failure kept on its change, a transient one rethrown for the engine's retry.
/// </summary>
internal static class ActionContract
{
    public sealed record Run(ActionPlan Plan, ApplyResult First, ApplyResult Second, VerifyResult Verify, int WritesOnSecondApply);

    /// <summary>Plans, applies, applies again and verifies; asserts the happy path and that the second apply changed nothing.</summary>
    public static async Task<Run> AppliesOnceThenNothingAsync(PlaybookHarness harness, StepContext step)
    {
        var action = harness.Action(step.Action.Value);
        var plan = await action.PlanAsync(step, default);
        Assert.Equal(PlanStatus.ChangeRequired, plan.Status);
        Assert.NotEmpty(plan.Changes);

        var first = await action.ApplyAsync(step, plan, default);
        var writes = ChangesSent(harness);
        var second = await action.ApplyAsync(step, plan, default);
        var verify = await action.VerifyAsync(step, plan, default);
        var run = new Run(plan, first, second, verify, ChangesSent(harness) - writes);

        Assert.Equal(ApplyOutcome.Applied, first.Outcome);
        Assert.All(first.Changes, c => Assert.Equal(ChangeOutcome.Done, c.Outcome));
        Assert.Equal(ApplyOutcome.AlreadyInPlace, second.Outcome);
        Assert.All(second.Changes, c => Assert.Equal(ChangeOutcome.AlreadyDone, c.Outcome));
        Assert.Equal(0, run.WritesOnSecondApply);
        Assert.Equal(VerifyOutcome.Verified, verify.Outcome);
        return run;
    }

    /// <summary>
    /// The target becomes protected: a new plan is refused, and so is the apply of the plan approved before (the guard
    /// is checked again at apply); nothing is written.
    /// </summary>
    public static Task RefusedByTheGuardAtPlanAndApplyAsync(PlaybookHarness harness, StepContext step, string protectedId) =>
        RefusedByTheGuardAtPlanAndApplyAsync(harness, step, policy => policy.ProtectedPrincipals.Add(protectedId));

    /// <summary>The same, with <paramref name="protect"/> saying how the policy comes to protect the target (a principal, an Azure resource).</summary>
    public static async Task RefusedByTheGuardAtPlanAndApplyAsync(PlaybookHarness harness, StepContext step, Action<ContainmentPolicy> protect)
    {
        var action = harness.Action(step.Action.Value);
        var approved = await action.PlanAsync(step, default);
        Assert.Equal(PlanStatus.ChangeRequired, approved.Status);
        protect(harness.Services.GetRequiredService<IOptions<ContainmentPolicy>>().Value);

        var plan = await action.PlanAsync(step, default);
        var apply = await action.ApplyAsync(step, approved, default);

        Assert.Equal(PlanStatus.Refused, plan.Status);
        Assert.Equal(ApplyOutcome.Refused, apply.Outcome);
        Assert.Equal(0, ChangesSent(harness));
    }

    /// <summary>A permanent failure (403) on the change's request stays on the change, with its error; apply itself does not throw.</summary>
    public static Task<ApplyResult> PermanentFailureKeptOnTheChangeAsync(PlaybookHarness harness, StepContext step, string? method, string pathContains) =>
        PermanentFailureKeptOnTheChangeAsync(harness, step, new FaultRule(method, pathContains, StatusCode: 403, Times: 1000));

    /// <summary>The same for an Exchange change: a 403 on that one cmdlet (every cmdlet shares /InvokeCommand, so the reads still succeed).</summary>
    public static Task<ApplyResult> PermanentFailureOfCmdletKeptOnTheChangeAsync(PlaybookHarness harness, StepContext step, string cmdlet) =>
        PermanentFailureKeptOnTheChangeAsync(harness, step, FaultRule.ForCmdlet(cmdlet, 403, times: 1000));

    private static async Task<ApplyResult> PermanentFailureKeptOnTheChangeAsync(PlaybookHarness harness, StepContext step, FaultRule fault)
    {
        var action = harness.Action(step.Action.Value);
        var plan = await action.PlanAsync(step, default);
        harness.Tenant.Faults.Add(fault);

        var result = await action.ApplyAsync(step, plan, default);

        Assert.Contains(result.Outcome, new[] { ApplyOutcome.Failed, ApplyOutcome.PartiallyApplied });
        var failed = result.Changes.Where(c => c.Outcome == ChangeOutcome.Failed).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, c => Assert.Equal((ErrorKind.Forbidden, 403), (c.Error!.Kind, c.Error.HttpStatus)));
        Assert.Equal(ErrorKind.Forbidden, result.Error?.Kind);
        return result;
    }

    /// <summary>
    /// A transient failure (503 beyond the SDK's own retries) is rethrown, so the engine retries the step; once the
    /// service is back, the retried apply completes it.
    /// </summary>
    public static Task TransientFailureRethrownThenRetriedAsync(PlaybookHarness harness, StepContext step, string? method, string pathContains) =>
        TransientFailureRethrownThenRetriedAsync(harness, step, new FaultRule(method, pathContains, StatusCode: 503, RetryAfter: TimeSpan.Zero, Times: 1000));

    /// <summary>The same for an Exchange change: a 503 on that one cmdlet beyond the client's own retries.</summary>
    public static Task TransientFailureOfCmdletRethrownThenRetriedAsync(PlaybookHarness harness, StepContext step, string cmdlet) =>
        TransientFailureRethrownThenRetriedAsync(harness, step, FaultRule.ForCmdlet(cmdlet, 503, TimeSpan.Zero, times: 1000));

    private static async Task TransientFailureRethrownThenRetriedAsync(PlaybookHarness harness, StepContext step, FaultRule fault)
    {
        var action = harness.Action(step.Action.Value);
        var plan = await action.PlanAsync(step, default);
        harness.Tenant.Faults.Add(fault);

        await Assert.ThrowsAnyAsync<Exception>(() => action.ApplyAsync(step, plan, default));
        harness.Tenant.Faults.Clear();
        var retried = await action.ApplyAsync(step, plan, default);

        Assert.Equal(ApplyOutcome.Applied, retried.Outcome);
    }

    /// <summary>
    /// The requests that could change something: every write but the POSTs that only read (an Exchange Get- cmdlet, an
    /// ARM list action such as listKeys), which a second apply sends to see that its changes are in place.
    /// </summary>
    private static int ChangesSent(PlaybookHarness harness) => harness.Writes().Count(w =>
        !(w.PathAndQuery.Contains("/InvokeCommand", StringComparison.OrdinalIgnoreCase) && w.Body?.Contains("\"CmdletName\":\"Get-", StringComparison.OrdinalIgnoreCase) == true)
        && !(w.Method == "POST" && LastSegment(w.PathAndQuery).StartsWith("list", StringComparison.OrdinalIgnoreCase)));

    private static string LastSegment(string pathAndQuery)
    {
        var path = pathAndQuery.Split('?')[0].TrimEnd('/');
        return path[(path.LastIndexOf('/') + 1)..];
    }
}
