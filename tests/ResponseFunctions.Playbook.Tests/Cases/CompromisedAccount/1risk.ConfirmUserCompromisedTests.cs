using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.CompromisedAccount;

public sealed class ConfirmUserCompromisedTests
{
    [Fact]
    public async Task Apply_Licensed_ConfirmsCompromised()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.risk");
        var plan = await harness.Activities.PlanStepAsync(step, default);

        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal("confirmedCompromised", harness.Tenant.State.Read(m => m.RiskyUsers.Single(r => r.Id == Contoso.Adele).RiskState));
    }

    [Fact]
    public async Task Plan_Unlicensed_ReportsForbiddenWithoutFailingTheActivity()
    {
        await using var harness = await PlaybookHarness.StartAsync("compromised-account-unlicensed");
        var step = await harness.StepAsync("1.risk");

        var plan = await harness.Activities.PlanStepAsync(step, default);

        Assert.Equal(PlanStatus.Failed, plan.Status);
        Assert.Equal(ErrorKind.Forbidden, plan.Error?.Kind);
        Assert.Contains("not marked compromised", plan.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contract_PlanApplyVerify_SecondApplySendsNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.risk");

        await ActionContract.AppliesOnceThenNothingAsync(harness, step);
    }

    [Fact]
    public async Task Contract_TargetProtected_RefusedAtPlanAndAgainAtApply()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.risk");

        await ActionContract.RefusedByTheGuardAtPlanAndApplyAsync(harness, step, Contoso.Adele);
    }

    [Fact]
    public async Task Contract_PermanentFailure_KeptOnTheChangeWithItsError()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.risk");

        await ActionContract.PermanentFailureKeptOnTheChangeAsync(harness, step, "POST", "confirmCompromised");
    }

    [Fact]
    public async Task Contract_TransientFailure_RethrownForTheEngineRetry_ThenCompleted()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.risk");

        await ActionContract.TransientFailureRethrownThenRetriedAsync(harness, step, "POST", "confirmCompromised");
    }

    [Fact]
    public async Task ApplyWave_ThreeUsersOneAlreadyConfirmed_OnePostForTheOtherTwoAndEveryTargetJournaledOnItsOwn()
    {
        await using var harness = await PlaybookHarness.StartAsync(model: SimulatedTenant.PasswordSprayScenario.Build(3));
        var users = Enumerable.Range(0, 3).Select(i => SimulatedTenant.PasswordSprayScenario.UserPrincipalName(i)).ToArray();
        var prepared = await harness.Activities.PrepareAsync(
            new PrepareInput("wave-instance", PlaybookHarness.Request(users: users, incidentId: "INC-RISK-WAVE"), DateTimeOffset.UtcNow), default);
        var steps = prepared.Steps.Where(s => s.Action.Value == "1.risk").ToList();
        var confirmed = steps[1].Target;
        harness.Tenant.State.Mutate(m => m.RiskyUsers.Add(new SimulatedTenant.SimRiskyUser
        {
            Id = confirmed.Id, UserPrincipalName = confirmed.Name, RiskLevel = "high", RiskState = "confirmedCompromised", RiskDetail = "adminConfirmedUserCompromised",
        }));

        var plans = await harness.Activities.PlanStepsAsync(new StepBatch(steps, 4), default);
        // Plan asked to change only the two not yet confirmed; apply is given all three, as if the third moved since.
        var work = steps.Select((s, i) => new StepWork(s, i == 1 ? plans[0]! with { Target = s.Target } : plans[i]!)).ToList();
        var outcomes = await harness.Activities.ApplyAndVerifyStepsAsync(new WorkBatch(work, 4), default);

        Assert.Equal([PlanStatus.ChangeRequired, PlanStatus.NothingToDo, PlanStatus.ChangeRequired], plans.Select(p => p!.Status));
        var post = Assert.Single(harness.Writes());
        Assert.EndsWith("confirmCompromised", post.PathAndQuery, StringComparison.Ordinal);
        Assert.Contains(steps[0].Target.Id, post.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(steps[2].Target.Id, post.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(confirmed.Id, post.Body, StringComparison.OrdinalIgnoreCase);
        // Risk read with the list, never one GET per user.
        Assert.DoesNotContain(harness.Tenant.Requests.Snapshot(), r => r.Method == "GET" && r.PathAndQuery.Contains("riskyUsers/", StringComparison.Ordinal));
        Assert.Equal([ApplyOutcome.Applied, ApplyOutcome.AlreadyInPlace, ApplyOutcome.Applied], outcomes.Select(o => o.Applied!.Outcome));
        Assert.All(outcomes, o => Assert.Equal(VerifyOutcome.Verified, o.Verified!.Outcome));
        var entries = harness.Journal.Entries.ToList();
        foreach (var step in steps)
        {
            var mine = entries.Where(e => e.Id.StartsWith($"wave-instance/{step.Index:00}/", StringComparison.Ordinal)).Select(e => e.Id[(e.Id.LastIndexOf('/') + 1)..]).ToList();
            Assert.Equal(["plan", "intent", "apply", "verify"], mine);
        }

        // Every intent is journaled before the wave's one request changes anything: before any apply entry.
        var lastIntent = entries.FindLastIndex(e => e.Id.EndsWith("/intent", StringComparison.Ordinal));
        Assert.True(lastIntent < entries.FindIndex(e => e.Id.EndsWith("/apply", StringComparison.Ordinal)));
        var applied = entries.Single(e => e.Id == $"wave-instance/{steps[0].Index:00}/apply").Data!.Value;
        Assert.False(applied.TryGetProperty("before", out var before) && before.ValueKind != System.Text.Json.JsonValueKind.Null, "no risk was recorded before");
        Assert.Equal("ConfirmedCompromised", applied.GetProperty("after").GetProperty("riskState").GetString());
    }

    [Fact]
    public async Task ApplyWave_ConfirmThrottledBeyondTheClientsRetries_WaveSentAgainWholeNeverUserByUser()
    {
        await using var harness = await PlaybookHarness.StartAsync(model: SimulatedTenant.PasswordSprayScenario.Build(3));
        var users = Enumerable.Range(0, 3).Select(i => SimulatedTenant.PasswordSprayScenario.UserPrincipalName(i)).ToArray();
        var prepared = await harness.Activities.PrepareAsync(
            new PrepareInput("wave-throttled", PlaybookHarness.Request(users: users, incidentId: "INC-RISK-THROTTLED"), DateTimeOffset.UtcNow), default);
        var steps = prepared.Steps.Where(s => s.Action.Value == "1.risk").ToList();
        var plans = await harness.Activities.PlanStepsAsync(new StepBatch(steps, 4), default);

        // Four throttled answers: as many as the client's limiter tries one request before giving it back as transient.
        harness.Tenant.Faults.Add(new SimulatedTenant.FaultRule("POST", "confirmCompromised", StatusCode: 429, RetryAfter: TimeSpan.Zero, Times: 4));
        var outcomes = await harness.Activities.ApplyAndVerifyStepsAsync(new WorkBatch([.. steps.Select((s, i) => new StepWork(s, plans[i]!))], 4), default);

        var confirms = harness.Tenant.Requests.Snapshot().Where(r => r.Method == "POST" && r.PathAndQuery.EndsWith("confirmCompromised", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, confirms.Count);
        Assert.All(confirms, c => Assert.All(steps, s => Assert.Contains(s.Target.Id, c.Body, StringComparison.OrdinalIgnoreCase)));
        Assert.All(outcomes, o => Assert.False(o.Retry));
        Assert.All(outcomes, o => Assert.Equal(ApplyOutcome.Applied, o.Applied!.Outcome));
        Assert.Equal(3, harness.Tenant.State.Read(m => m.RiskyUsers.Count(r => r.RiskState == "confirmedCompromised")));
    }
}
