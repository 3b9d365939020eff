using Microsoft.Extensions.DependencyInjection;
using Microsoft.Graph;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.CompromisedAccount;
using ResponseFunctions.Playbook.Graph;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;
using ResponseFunctions.SimulatedTenant;

namespace ResponseFunctions.Playbook.Tests.Cases.CompromisedAccount;

/// <summary>1.risk's risky-user reads are kept across waves and phases, within their freshness and never past a write to the user.</summary>
public sealed class RiskOfWaveTests
{
    [Fact]
    public async Task PlanWave_SecondWaveWithinTheFreshness_OneListReadAnswersBoth()
    {
        await using var run = await Run.StartAsync(6);

        var first = await run.Action.PlanWaveAsync(run.Steps[..3], default);
        run.Time.Advance(RiskOfWave.Freshness - TimeSpan.FromMilliseconds(1));
        var second = await run.Action.PlanWaveAsync(run.Steps[3..], default);

        Assert.Single(run.IdentityProtection());
        Assert.All(first.Concat(second), p => Assert.Equal(PlanStatus.ChangeRequired, p.Status));
    }

    [Fact]
    public async Task PlanWave_KeptReadAsOldAsTheFreshness_ReadAgain()
    {
        await using var run = await Run.StartAsync(3);

        await run.Action.PlanWaveAsync(run.Steps, default);
        run.Time.Advance(RiskOfWave.Freshness);
        await run.Action.PlanWaveAsync(run.Steps, default);

        Assert.Equal(2, run.IdentityProtection().Count);
    }

    [Fact]
    public async Task ApplyAndVerifyWave_AfterPlan_ListReadAfterTheConfirmAnswersTheAfterStateAndTheVerify()
    {
        await using var run = await Run.StartAsync(3);
        var plans = await run.Action.PlanWaveAsync(run.Steps, default);
        List<(StepContext, ActionPlan)> work = [.. run.Steps.Select((s, i) => (s, plans[i]))];

        var applied = await run.Action.ApplyWaveAsync(work, default);
        var verified = await run.Action.VerifyWaveAsync(work, default);

        // Plan's read (it answers the before), the confirm, one read after it: 3 requests where each phase reading was 5.
        Assert.Equal(["GET", "POST", "GET"], run.IdentityProtection().Select(r => r.Method));
        Assert.All(applied, a => Assert.Equal(ApplyOutcome.Applied, a.Outcome));
        Assert.All(applied, a => Assert.Equal("ConfirmedCompromised", a.After!.Value.GetProperty("riskState").GetString()));
        Assert.All(verified, v => Assert.Equal(VerifyOutcome.Verified, v.Outcome));
    }

    [Fact]
    public async Task PlanWave_OneUserConfirmedSinceTheKeptRead_ReadAgainForItOnlyAndSeenConfirmed()
    {
        await using var run = await Run.StartAsync(4);
        await run.Action.PlanWaveAsync(run.Steps, default);

        // Confirmed through the step-by-step path: the read cache tells the kept reads.
        var alone = await run.Harness.Action("1.risk").ApplyAsync(run.Steps[0], (await run.Action.PlanWaveAsync([run.Steps[0]], default))[0], default);
        var lists = run.IdentityProtection().Count(r => r.Method == "GET" && r.PathAndQuery.Contains("riskyUsers?", StringComparison.Ordinal));
        var others = await run.Action.PlanWaveAsync(run.Steps[1..], default);
        var listsForOthers = run.IdentityProtection().Count(r => r.Method == "GET" && r.PathAndQuery.Contains("riskyUsers?", StringComparison.Ordinal));
        var all = await run.Action.PlanWaveAsync(run.Steps, default);

        Assert.Equal(ApplyOutcome.Applied, alone.Outcome);
        Assert.Equal(1, lists);
        Assert.Equal(lists, listsForOthers);
        Assert.Equal(2, run.IdentityProtection().Count(r => r.Method == "GET" && r.PathAndQuery.Contains("riskyUsers?", StringComparison.Ordinal)));
        Assert.All(others, p => Assert.Equal(PlanStatus.ChangeRequired, p.Status));
        Assert.Equal([PlanStatus.NothingToDo, PlanStatus.ChangeRequired, PlanStatus.ChangeRequired, PlanStatus.ChangeRequired], all.Select(p => p.Status));
    }

    [Fact]
    public async Task Read_SecondReaderWhileTheFirstIsInFlight_SharesItsOneRequest()
    {
        await using var run = await Run.StartAsync(4);
        var held = new HeldLists(run.Harness.Tenant.CreateHandler());
        var risks = new RiskOfWave(PlaybookGraphClient.Create(new LoopbackCredential(), run.Harness.Tenant.GraphBaseUrl, held), run.Time);
        string[] ids = [.. run.Steps.Select(s => s.Target.Id)];

        var first = risks.ReadAsync(ids[..2], _ => throw new InvalidOperationException("read one by one"), default);
        run.Time.Advance(RiskOfWave.Freshness); // a kept read this old would not answer: only the one in flight can
        var second = risks.ReadAsync(ids[2..], _ => throw new InvalidOperationException("read one by one"), default);
        held.Release.SetResult();
        var answers = (await first).Concat(await second).ToList();

        Assert.Single(run.IdentityProtection());
        Assert.Equal(4, answers.Count);
        Assert.All(answers, a => Assert.Null(a.Value.Risky));
    }

    [Fact]
    public async Task Read_WhileAnotherWavesConfirmIsGoing_WaitsForItSoOneReadAnswersBothWaves()
    {
        await using var run = await Run.StartAsync(4);
        var risks = new RiskOfWave(run.Harness.Services.GetRequiredService<GraphServiceClient>(), run.Time);
        string[] ids = [.. run.Steps.Select(s => s.Target.Id)];
        var confirming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Wave A's confirm is going (waiting its turn); wave B asks for its users meanwhile.
        var confirm = risks.WritingAsync(async () =>
        {
            await confirming.Task;
            IdentityProtectionWrites.Record(ids[..2]);
            return 0;
        });
        var waveB = risks.ReadAsync(ids[2..], _ => throw new InvalidOperationException("read one by one"), default);
        confirming.SetResult();
        await confirm;
        await waveB;
        var waveAAfter = await risks.ReadAsync(ids[..2], _ => throw new InvalidOperationException("read one by one"), default);

        // Had B read at once, A's read after its confirm would have been a second request.
        Assert.Single(run.IdentityProtection());
        Assert.Equal(2, waveAAfter.Count);
    }

    [Fact]
    public async Task PlanWave_Unlicensed_ForbiddenNeverKept()
    {
        await using var run = await Run.StartAsync(2, unlicensed: true);

        var first = await run.Action.PlanWaveAsync(run.Steps, default);
        var second = await run.Action.PlanWaveAsync(run.Steps, default);

        Assert.Equal(2, run.IdentityProtection().Count);
        Assert.All(first.Concat(second), p => Assert.Equal(ErrorKind.Forbidden, p.Error?.Kind));
    }

    private sealed record Run(PlaybookHarness Harness, ConfirmUserCompromised Action, ManualTime Time, List<StepContext> Steps) : IAsyncDisposable
    {
        public static async Task<Run> StartAsync(int users, bool unlicensed = false)
        {
            var model = PasswordSprayScenario.Build(users);
            if (unlicensed)
            {
                model.IdentityProtectionP2 = false;
            }

            var harness = await PlaybookHarness.StartAsync(model: model);
            var names = Enumerable.Range(0, users).Select(i => PasswordSprayScenario.UserPrincipalName(i)).ToArray();
            var prepared = await harness.Activities.PrepareAsync(
                new PrepareInput("risk-kept", PlaybookHarness.Request(users: names, incidentId: "INC-RISK-KEPT"), DateTimeOffset.UtcNow), default);
            var time = new ManualTime();
            var action = new ConfirmUserCompromised(
                harness.Services.GetRequiredService<GraphServiceClient>(), harness.Services.GetRequiredService<ChangeRunner>(), time);
            return new Run(harness, action, time, [.. prepared.Steps.Where(s => s.Action.Value == "1.risk")]);
        }

        /// <summary>Every Identity Protection request the tenant received (its quota: one per second).</summary>
        public List<RecordedRequest> IdentityProtection() =>
            [.. Harness.Tenant.Requests.Snapshot().Where(r => r.PathAndQuery.Contains("/identityProtection/", StringComparison.Ordinal))];

        public ValueTask DisposeAsync() => Harness.DisposeAsync();
    }

    /// <summary>A clock that moves only when told: freshness without waiting.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    /// <summary>Holds risky-user list reads until released, so a second reader surely finds the first in flight.</summary>
    private sealed class HeldLists(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/riskyUsers", StringComparison.Ordinal))
            {
                await Release.Task.WaitAsync(cancellationToken);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
