using System.Text.Json;
using ResponseFunctions.InProcess;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Requests;
using ResponseFunctions.Playbook.Tests.Support;
using ResponseFunctions.SimulatedTenant;

namespace ResponseFunctions.Playbook.Tests.Orchestration;

/// <summary>
/// A containment of several accounts runs in waves (sub-orchestrations) and asks one grouped request per action and
/// wave; what each target gets, and what the journal says of it, stays exact per target.
/// </summary>
public sealed class WaveTests
{
    private static readonly List<string> Case1 = [.. ActionCatalog.ForCase(CaseId.CompromisedAccount).Select(a => a.Id.Value)];

    [Fact]
    public async Task Contain_FiveAccountsInWavesOfTwo_EveryAccountContainedEveryEntryNamesTheContainmentAndNoWaveHoldsAnother()
    {
        await using var harness = await PlaybookHarness.StartAsync(
            model: PasswordSprayScenario.Build(5),
            configure: p => (p.PreApprovedActions, p.TwoPersonActions) = ([.. Case1], []),
            engine: e => e.WaveSize = 2);
        var request = PlaybookHarness.Request(users: Victims(5), incidentId: "INC-WAVES-5");
        await using var engine = await harness.StartEngineAsync(new ScriptedApprovalChannel(ApprovalVerdict.Approve));

        var report = await engine.RunAsync(request);

        var id = InstanceIds.ForIncident(request.IncidentId);
        Assert.Equal(id, report.InstanceId);
        Assert.All(Enumerable.Range(0, 5), i => Assert.False(harness.Tenant.State.Read(m => m.FindUser(VictimId(harness, i))!.AccountEnabled)));
        Assert.All(report.Steps.Where(s => s.Plan == Actions.PlanStatus.ChangeRequired), s => Assert.Equal(Actions.VerifyOutcome.Verified, s.Verify));
        // One 1.e for the tenant, every user action once per account.
        Assert.Single(report.Steps, s => s.Action.Value == "1.e");
        Assert.Equal(5, report.Steps.Count(s => s.Action.Value == "1.a"));
        Assert.All(harness.Journal.Entries, e => Assert.DoesNotContain(":wave-", e.Id, StringComparison.Ordinal));
        Assert.Equal(5, harness.Journal.Entries.Count(e => e.Action == "1.c" && e.Outcome == "apply:applied"));
        // The containment and three waves (2 + 2 + 1 accounts), each its own instance with its own history.
        Assert.Equal(
            [id, id + ":wave-001", id + ":wave-002", id + ":wave-003"],
            engine.HistoryEvents.Keys.Where(k => k.StartsWith(id, StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Contain_ThreeAccountsOneExcludedOnEachGroupedRequest_OneRequestPerActionAndTheExcludedAccountUntouched()
    {
        await using var harness = await PlaybookHarness.StartAsync(
            model: PasswordSprayScenario.Build(3),
            configure: p => (p.PreApprovedActions, p.TwoPersonActions) = ([], []));
        var spared = PasswordSprayScenario.UserPrincipalName(1);
        var channel = new ExcludingChannel(spared);

        var report = await harness.RunAsync(PlaybookHarness.Request(users: Victims(3), incidentId: "INC-GROUPED-3"), channel);

        // One request per gated action of the wave; each user action's request covers the three accounts.
        var requested = harness.Journal.Entries.Where(e => e.Action == JournalEvents.ApprovalRequested).ToList();
        Assert.Equal(requested.Count, requested.Select(e => e.Data!.Value.Deserialize<ApprovalRequest>(JournalJson.Options)!.Action).Distinct().Count());
        Assert.All(channel.Asked.Where(r => r.Action.Value is "1.a" or "1.b" or "1.c" or "1.d"), r => Assert.Equal(3, r.Targets.Count));
        Assert.Equal(4, channel.Asked.Count(r => r.IsGrouped));
        Assert.True(harness.Tenant.State.Read(m => m.FindUser(VictimId(harness, 1))!.AccountEnabled));
        Assert.False(harness.Tenant.State.Read(m => m.FindUser(VictimId(harness, 0))!.AccountEnabled));
        Assert.False(harness.Tenant.State.Read(m => m.FindUser(VictimId(harness, 2))!.AccountEnabled));
        // Each target's decision journaled: the spared account's as rejected by the approver who excluded it.
        var decisions = harness.Journal.Entries.Where(e => e.Id.EndsWith("/decision", StringComparison.Ordinal) && e.Action == "1.c").ToList();
        Assert.Equal(3, decisions.Count);
        var sparedDecision = Assert.Single(decisions, d => d.Target.StartsWith(spared, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("approval:rejected", sparedDecision.Outcome);
        Assert.Contains("excluded this target", sparedDecision.Detail, StringComparison.Ordinal);
        Assert.Equal(2, decisions.Count(d => d.Outcome == "approval:approved"));
        // Its four gated steps rejected and never applied (1.risk asks nobody: it is not destructive).
        var sparedSteps = report.Steps.Where(s => s.Target.Name.Equals(spared, StringComparison.OrdinalIgnoreCase) && s.Approval == ApprovalOutcome.Rejected).ToList();
        Assert.Equal(["1.a", "1.b", "1.c", "1.d"], sparedSteps.Select(s => s.Action.Value));
        Assert.All(sparedSteps, s => Assert.Null(s.Apply));
    }

    [Fact]
    public async Task Contain_TwelveAccountsInOneWave_EveryTargetsP0ChangesJournaledBeforeAnyOfItsP1Changes()
    {
        await using var harness = await PlaybookHarness.StartAsync(
            model: PasswordSprayScenario.Build(12),
            configure: p => (p.PreApprovedActions, p.TwoPersonActions) = ([.. Case1], []));

        var report = await harness.RunAsync(PlaybookHarness.Request(users: Victims(12), incidentId: "INC-P0-FIRST"), ApprovalVerdict.Approve);

        var p0 = ActionCatalog.ForCase(CaseId.CompromisedAccount).Where(a => a.Priority == Priority.P0).Select(a => a.Id.Value).ToHashSet();
        var entries = harness.Journal.Entries.ToList();
        var changes = entries.Select((e, i) => (Entry: e, Index: i)).Where(x => x.Entry.Outcome == "intent:apply").ToList();
        // 1.f's roles and 1.risk are P1: both applied to some of these targets, each after that target's P0 changes.
        Assert.Contains(changes, c => c.Entry.Action == "1.f");
        Assert.Contains(changes, c => c.Entry.Action == "1.risk");
        foreach (var target in changes.GroupBy(c => c.Entry.Target))
        {
            var lastP0 = target.Where(c => p0.Contains(c.Entry.Action)).Select(c => entries.FindIndex(e => e.Id == c.Entry.Id.Replace("/intent", "/apply", StringComparison.Ordinal))).DefaultIfEmpty(-1).Max();
            var firstP1 = target.Where(c => !p0.Contains(c.Entry.Action)).Select(c => c.Index).DefaultIfEmpty(int.MaxValue).Min();
            Assert.True(lastP0 < firstP1, $"{target.Key}: a P1 change's intent (entry {firstP1}) came before its last P0 apply (entry {lastP0}).");
        }

        // The policy's decision on each step is journaled (by the activity that applies it) before its intent.
        Assert.All(changes, c => Assert.InRange(entries.FindIndex(e => e.Id == c.Entry.Id.Replace("/intent", "/decision", StringComparison.Ordinal)), 0, c.Index - 1));

        Assert.All(report.Steps.Where(s => s.Plan == Actions.PlanStatus.ChangeRequired), s => Assert.Equal(Actions.VerifyOutcome.Verified, s.Verify));
    }

    [Fact]
    public async Task Contain_OneP0SlotAndASlowP1_NextWavesP0AppliedWhileTheFirstWavesP1GoesOn()
    {
        await using var harness = await PlaybookHarness.StartAsync(
            model: PasswordSprayScenario.Build(4),
            configure: p => (p.PreApprovedActions, p.TwoPersonActions) = ([.. Case1], []),
            engine: e => (e.WaveSize, e.MaxParallelWaves, e.MaxRunningWaves) = (2, 1, 2));
        // Identity Protection answers the first wave's confirmation slowly (its one request per second, a busy tenant).
        harness.Tenant.Faults.Add(new FaultRule("POST", "confirmCompromised", StatusCode: 0, Latency: TimeSpan.FromSeconds(25)));

        var report = await harness.RunAsync(PlaybookHarness.Request(users: Victims(4), incidentId: "INC-P0-SLOTS"), ApprovalVerdict.Approve);

        var entries = harness.Journal.Entries.ToList();
        var firstWaveRiskApplied = entries.FindIndex(e => e.Action == "1.risk" && e.Outcome == "apply:applied");
        var secondWave = Victims(4)[2..].ToHashSet(StringComparer.OrdinalIgnoreCase);
        var secondWaveResets = entries.Select((e, i) => (Entry: e, Index: i))
            .Where(x => x.Entry.Action == "1.a" && x.Entry.Outcome == "apply:applied" && secondWave.Any(u => x.Entry.Target.StartsWith(u, StringComparison.OrdinalIgnoreCase)))
            .Select(x => x.Index).ToList();
        Assert.Equal(2, secondWaveResets.Count);
        // The second wave's P0 took the slot the first wave's P0 gave back, without waiting for its P1 to finish.
        Assert.All(secondWaveResets, i => Assert.True(i < firstWaveRiskApplied, $"a second-wave reset (entry {i}) waited for the first wave's 1.risk (entry {firstWaveRiskApplied})"));
        Assert.All(report.Steps.Where(s => s.Plan == Actions.PlanStatus.ChangeRequired), s => Assert.Equal(Actions.VerifyOutcome.Verified, s.Verify));
    }

    [Fact]
    public async Task Contain_SixteenWavesInGroupsOfTwo_EveryAccountContainedAndNoContainmentOrGroupHistoryGrowsWithTheWaves()
    {
        await using var harness = await PlaybookHarness.StartAsync(
            model: PasswordSprayScenario.Build(16),
            configure: p => (p.PreApprovedActions, p.TwoPersonActions) = ([.. Case1], []),
            engine: e => (e.WaveSize, e.MaxWavesPerGroup) = (1, 2));
        var request = PlaybookHarness.Request(users: Victims(16), incidentId: "INC-GROUPS-16");
        await using var engine = await harness.StartEngineAsync(new ScriptedApprovalChannel(ApprovalVerdict.Approve));

        var report = await engine.RunAsync(request);

        var id = InstanceIds.ForIncident(request.IncidentId);
        Assert.All(Enumerable.Range(0, 16), i => Assert.False(harness.Tenant.State.Read(m => m.FindUser(VictimId(harness, i))!.AccountEnabled)));
        Assert.Equal(16, report.Steps.Count(s => s.Action.Value == "1.a"));
        Assert.All(report.Steps.Where(s => s.Plan == Actions.PlanStatus.ChangeRequired), s => Assert.Equal(Actions.VerifyOutcome.Verified, s.Verify));
        Assert.Equal(16, harness.Journal.Entries.Count(e => e.Action == "1.c" && e.Outcome == "apply:applied"));
        Assert.All(harness.Journal.Entries, e => Assert.DoesNotContain(":wave", e.Id, StringComparison.Ordinal));
        // A binary tree over sixteen waves: eight groups of two waves, four of two groups, two of four... each instance
        // runs two children at most.
        var groups = engine.HistoryEvents.Keys.Where(k => k.StartsWith(id + ":waves-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(14, groups.Count);
        Assert.Contains(id + ":waves-001-008", groups);
        Assert.Contains(id + ":waves-015-016", groups);
        Assert.Equal(16, engine.HistoryEvents.Keys.Count(k => k.StartsWith(id + ":wave-", StringComparison.Ordinal)));
        // Run flat, the containment's own history held about eleven events per wave (some 180 here).
        Assert.All(groups.Append(id), k => Assert.True(engine.HistoryEvents[k] <= 90, $"{k}: {engine.HistoryEvents[k]} history events"));
    }

    [Fact]
    public async Task Contain_PersonAskedInGroupsOfWaves_TheContainmentsStatusCountsTheDecisionsAwaitedThenEveryAccountContained()
    {
        await using var harness = await PlaybookHarness.StartAsync(
            model: PasswordSprayScenario.Build(4),
            // Long enough for the approver's first look at the status: a decision that timed out would apply nothing.
            configure: p => (p.PreApprovedActions, p.TwoPersonActions, p.ApprovalTimeout) = ([], [], TimeSpan.FromMinutes(2)),
            engine: e => (e.WaveSize, e.MaxWavesPerGroup) = (1, 2));
        var request = PlaybookHarness.Request(users: Victims(4), incidentId: "INC-GROUPS-ASKED");
        var channel = new StatusWatchingChannel(InstanceIds.ForIncident(request.IncidentId));
        await using var engine = await harness.StartEngineAsync(channel);
        channel.Client = engine.Client;

        var report = await engine.RunAsync(request);

        // The waves asked their groups' parent nothing directly: what the containment's status counted came through the groups.
        Assert.True(channel.PendingSeen > 0, "the containment's status never counted a pending decision while one was awaited");
        Assert.Contains(engine.HistoryEvents.Keys, k => k.EndsWith(":waves-001-002", StringComparison.Ordinal));
        Assert.All(Enumerable.Range(0, 4), i => Assert.False(harness.Tenant.State.Read(m => m.FindUser(VictimId(harness, i))!.AccountEnabled)));
        Assert.All(report.Steps.Where(s => s.Plan == Actions.PlanStatus.ChangeRequired), s => Assert.Equal(Actions.VerifyOutcome.Verified, s.Verify));
        Assert.Equal(4, harness.Journal.Entries.Count(e => e.Action == "1.c" && e.Outcome == "approval:approved"));
    }

    [Fact]
    public async Task Contain_OneP0SlotAcrossGroups_TheNextGroupsP0AppliedWhileTheFirstWavesP1GoesOn()
    {
        await using var harness = await PlaybookHarness.StartAsync(
            model: PasswordSprayScenario.Build(6),
            configure: p => (p.PreApprovedActions, p.TwoPersonActions) = ([.. Case1], []),
            engine: e => (e.WaveSize, e.MaxParallelWaves, e.MaxRunningWaves, e.MaxWavesPerGroup) = (2, 1, 2, 2));
        // Identity Protection answers the first confirmation slowly (whichever of the first group's waves asks first).
        harness.Tenant.Faults.Add(new FaultRule("POST", "confirmCompromised", StatusCode: 0, Latency: TimeSpan.FromSeconds(25), Times: 1));

        var report = await harness.RunAsync(PlaybookHarness.Request(users: Victims(6), incidentId: "INC-GROUP-SLOTS"), ApprovalVerdict.Approve);

        var entries = harness.Journal.Entries.Select((Entry, Index) => (Entry, Index)).ToList();
        List<int> Applied(string action, string[] users) => [.. entries
            .Where(x => x.Entry.Action == action && x.Entry.Outcome == "apply:applied" && users.Any(u => x.Entry.Target.StartsWith(u, StringComparison.OrdinalIgnoreCase)))
            .Select(x => x.Index)];
        // Whichever of the first group's waves asked first was answered slowly: its confirmation is the group's last.
        var slowRisk = Applied("1.risk", Victims(6)[..4]).Max();
        var thirdWaveResets = Applied("1.a", Victims(6)[4..]);
        Assert.Equal(2, thirdWaveResets.Count);
        // Waves 1-2 form a group, wave 3 another: the one slot went wave 1 → wave 2 → (given back by the first group) → wave 3.
        Assert.All(thirdWaveResets, i => Assert.True(i < slowRisk, $"a third-wave reset (entry {i}) waited for the first group's slow 1.risk (entry {slowRisk})"));
        Assert.All(report.Steps.Where(s => s.Plan == Actions.PlanStatus.ChangeRequired), s => Assert.Equal(Actions.VerifyOutcome.Verified, s.Verify));
    }

    [Fact]
    public async Task Contain_OneResetFailingTransientlyInTheBatch_ResetAgainAloneBeforeAnyAccountLosesItsSessions()
    {
        await using var harness = await PlaybookHarness.StartAsync(
            model: PasswordSprayScenario.Build(3),
            configure: p => (p.PreApprovedActions, p.TwoPersonActions) = ([.. Case1], []));
        var unlucky = harness.Tenant.State.Read(m => m.FindUser(PasswordSprayScenario.UserPrincipalName(1))!.Id);
        // As many 503s as the client tries one request: the batch gives this reset back, to be done alone with the engine's retry.
        harness.Tenant.Faults.Add(new FaultRule("PATCH", $"/users/{unlucky}", StatusCode: 503, RetryAfter: TimeSpan.Zero, Times: 4));

        var report = await harness.RunAsync(PlaybookHarness.Request(users: Victims(3), incidentId: "INC-IN-ORDER"), ApprovalVerdict.Approve);

        var entries = harness.Journal.Entries.ToList();
        var lastReset = entries.FindLastIndex(e => e.Action == "1.a" && e.Outcome == "apply:applied");
        var firstRevocation = entries.FindIndex(e => e.Action == "1.b" && e.Outcome == "intent:apply");
        Assert.Equal(3, entries.Count(e => e.Action == "1.a" && e.Outcome == "apply:applied"));
        Assert.True(lastReset < firstRevocation, $"a revocation's intent (entry {firstRevocation}) came before the last reset (entry {lastReset})");
        Assert.All(report.Steps.Where(s => s.Plan == Actions.PlanStatus.ChangeRequired), s => Assert.Equal(Actions.VerifyOutcome.Verified, s.Verify));
    }

    private static string[] Victims(int users) => [.. Enumerable.Range(0, users).Select(i => PasswordSprayScenario.UserPrincipalName(i))];

    private static string VictimId(PlaybookHarness harness, int index) => PasswordSprayScenario.UserPrincipalName(index);

    /// <summary>
    /// An approver who, before the first decision, waits (up to 30 s) until the containment's own status counts a pending
    /// decision, then approves everything.
    /// </summary>
    private sealed class StatusWatchingChannel(string containmentId) : IApprovalChannel
    {
        public Microsoft.DurableTask.Client.DurableTaskClient? Client { get; set; }

        public int PendingSeen { get; private set; }

        public async Task<ApprovalDecision?> DecideAsync(ApprovalRequest request, TimeSpan timeout, CancellationToken cancellationToken)
        {
            for (var waited = 0; PendingSeen == 0 && waited < 300; waited++)
            {
                var instance = await Client!.GetInstanceAsync(containmentId, getInputsAndOutputs: true, cancellationToken);
                PendingSeen = instance is null ? 0 : ContainmentState.ReadStatus(instance)?.PendingCount ?? 0;
                if (PendingSeen == 0)
                {
                    await Task.Delay(100, cancellationToken);
                }
            }

            return new ApprovalDecision(request.RequestId, ApprovalVerdict.Approve, "analyst@contoso.onmicrosoft.com", DateTimeOffset.UtcNow, "approved");
        }
    }

    /// <summary>An approver who approves every request and, on a grouped one, leaves one account out.</summary>
    private sealed class ExcludingChannel(string sparedUpn) : IApprovalChannel
    {
        public List<ApprovalRequest> Asked { get; } = [];

        public Task<ApprovalDecision?> DecideAsync(ApprovalRequest request, TimeSpan timeout, CancellationToken cancellationToken)
        {
            lock (Asked)
            {
                Asked.Add(request);
            }

            return Task.FromResult<ApprovalDecision?>(new ApprovalDecision(request.RequestId, ApprovalVerdict.Approve, "analyst@contoso.onmicrosoft.com", DateTimeOffset.UtcNow, "all but one")
            {
                Excluded = [.. request.Targets.Where(t => t.Target.Name.Equals(sparedUpn, StringComparison.OrdinalIgnoreCase)).Select(t => t.StepIndex)],
            });
        }
    }
}
