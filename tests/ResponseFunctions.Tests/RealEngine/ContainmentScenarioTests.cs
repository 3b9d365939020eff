using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.SimulatedTenant;

namespace ResponseFunctions.Tests.RealEngine;

/// <summary>
/// Case 1 for one compromised account, in the real Durable Task engine, driven only through the host's HTTP
/// functions: started by POST /api/containments, decided on the approval page by signed-in approvers.
/// </summary>
public sealed class ContainmentScenarioTests
{
    /// <summary>1.a–1.f ask for a decision; 1.risk (confirm the user compromised) is not destructive and needs none.</summary>
    private const int Gated = 6;

    [Fact]
    public async Task Containment_EveryStepApprovedOnThePage_AppliesAndVerifiesEveryStep()
    {
        await using var host = await EngineHost.StartAsync();
        var id = await host.StartContainmentAsync();

        var pending = await host.WaitForPendingAsync(id, Gated);
        await host.DecideOnPageAsync(id, pending, Approver.Alice, "approve");
        var report = await host.WaitForReportAsync(id);

        Assert.All(report.Steps, s => Assert.Equal(VerifyOutcome.Verified, s.Verify));
        Assert.All(report.Steps.Where(s => s.Action.Value != "1.risk"), s => Assert.Equal(Approver.Alice.Upn, s.DecidedBy));
        Assert.False(host.Tenant.State.Read(m => m.FindUser(EngineHost.Adele)!.AccountEnabled));
        var journal = await host.JournalOutcomesAsync("INC-ENGINE-1");
        Assert.Equal(Gated, journal.Count(e => e.EndsWith(" approval:approved", StringComparison.Ordinal)));
        Assert.Equal(Gated + 1, journal.Count(e => e.EndsWith(" verify:verified", StringComparison.Ordinal)));
        Assert.Equal("containment.completed completed", journal[^1]);
    }

    [Fact]
    public async Task Containment_EveryStepRejectedOnThePage_ChangesNothingButTheRiskConfirmation()
    {
        await using var host = await EngineHost.StartAsync();
        var id = await host.StartContainmentAsync();

        var pending = await host.WaitForPendingAsync(id, Gated);
        await host.DecideOnPageAsync(id, pending, Approver.Alice, "reject");
        var report = await host.WaitForReportAsync(id);

        Assert.All(report.Steps.Where(s => s.Action.Value != "1.risk"), s =>
        {
            Assert.Equal(ApprovalOutcome.Rejected, s.Approval);
            Assert.Null(s.Apply);
        });
        Assert.Equal(["POST /v1.0/identityProtection/riskyUsers/confirmCompromised"], host.Writes());
    }

    [Fact]
    public async Task Containment_NobodyDecides_TimesOutOnTheDurableTimerAndAppliesNothingGated()
    {
        await using var host = await EngineHost.StartAsync(p => p.ApprovalTimeout = TimeSpan.FromSeconds(2));
        var id = await host.StartContainmentAsync();

        var report = await host.WaitForReportAsync(id);

        Assert.All(report.Steps.Where(s => s.Action.Value != "1.risk"), s => Assert.Equal(ApprovalOutcome.TimedOut, s.Approval));
        Assert.Equal(["POST /v1.0/identityProtection/riskyUsers/confirmCompromised"], host.Writes());
        Assert.Equal(Gated, (await host.JournalOutcomesAsync("INC-ENGINE-1")).Count(e => e.EndsWith(" approval:timed-out", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Containment_TwoPersonStep_AppliedOnlyAfterTwoDifferentApprovers()
    {
        await using var host = await EngineHost.StartAsync(p => p.TwoPersonActions = ["1.e"]);
        var id = await host.StartContainmentAsync();
        var pending = await host.WaitForPendingAsync(id, Gated);
        var blockIps = Assert.Single(pending, p => p.EndsWith("-1e", StringComparison.Ordinal));

        await host.DecideOnPageAsync(id, pending, Approver.Alice, "approve");
        await WaitUntilAsync(async () => (await host.JournalOutcomesAsync("INC-ENGINE-1")).Contains("1.e " + ApprovalFollowUps.AwaitingSecondApprover));
        Assert.DoesNotContain(host.Writes(), w => w.Contains("conditionalAccess", StringComparison.Ordinal));
        Assert.Contains(blockIps, await host.WaitForPendingAsync(id, 1)); // still waiting: a decision the gate has not read yet is not a decision
        await host.DecideOnPageAsync(id, [blockIps], Approver.Bob, "approve");
        var report = await host.WaitForReportAsync(id);

        var step = Assert.Single(report.Steps, s => s.Action.Value == "1.e");
        Assert.Equal(ApplyOutcome.Applied, step.Apply);
        Assert.Equal($"{Approver.Alice.Upn} + {Approver.Bob.Upn}", step.DecidedBy);
        Assert.Contains(host.Writes(), w => w.StartsWith("POST /v1.0/identity/conditionalAccess/namedLocations", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Containment_DecisionForALaterStepArrivesFirst_IsKeptUntilThatStepsTurn()
    {
        await using var host = await EngineHost.StartAsync();
        var id = await host.StartContainmentAsync();
        var pending = await host.WaitForPendingAsync(id, Gated);

        // The last gated step (1.f) is approved while the first (1.a) still waits: the engine buffers the event.
        await host.DecideOnPageAsync(id, [pending[^1]], Approver.Alice, "approve");
        await Task.Delay(500);
        Assert.DoesNotContain(host.Writes(), w => !w.Contains("riskyUsers", StringComparison.Ordinal));
        await host.DecideOnPageAsync(id, pending.Take(Gated - 1).ToList(), Approver.Alice, "approve");
        var report = await host.WaitForReportAsync(id);

        Assert.Equal(ApplyOutcome.Applied, Assert.Single(report.Steps, s => s.Action.Value == "1.f").Apply);
        Assert.All(report.Steps, s => Assert.Equal(VerifyOutcome.Verified, s.Verify));
    }

    [Fact]
    public async Task Containment_StepFailsTransientlyBeyondTheSdksRetries_IsRetriedByTheEngineAndApplied()
    {
        await using var host = await EngineHost.StartAsync();

        // More 503s on disabling the account than the Graph SDK retries (3): the activity fails transiently, the engine tries again.
        host.Tenant.Faults.Add(new FaultRule("PATCH", $"/users/{EngineHost.Adele}", StatusCode: 503, Times: 5));
        var id = await host.StartContainmentAsync();
        await host.DecideOnPageAsync(id, await host.WaitForPendingAsync(id, Gated), Approver.Alice, "approve");
        var report = await host.WaitForReportAsync(id);

        Assert.All(report.Steps, s => Assert.Equal(VerifyOutcome.Verified, s.Verify));
        Assert.False(host.Tenant.State.Read(m => m.FindUser(EngineHost.Adele)!.AccountEnabled));
        Assert.True(host.Tenant.Requests.Snapshot().Count(r => r.Method == "PATCH" && r.PathAndQuery.EndsWith(EngineHost.Adele, StringComparison.Ordinal)) > 4);
    }

    [Fact]
    public async Task Containment_ReplayedAfterEveryActivity_SendsTheTenantExactlyTheWritesOfOneRun()
    {
        await using var host = await EngineHost.StartAsync();
        var id = await host.StartContainmentAsync();
        await host.DecideOnPageAsync(id, await host.WaitForPendingAsync(id, Gated), Approver.Alice, "approve");
        await host.WaitForReportAsync(id);

        // The engine replayed the orchestrator after each of its ~30 activities; each write still happened once, in the sheet's order.
        Assert.Equal(
        [
            $"PATCH /v1.0/users/{EngineHost.Adele}",                                 // 1.a reset password
            $"POST /v1.0/users/{EngineHost.Adele}/revokeSignInSessions",              // 1.b
            $"PATCH /v1.0/users/{EngineHost.Adele}",                                 // 1.c disable
        ], host.Writes().Take(3));
        Assert.Equal(host.Writes().Count, host.Writes().Distinct().Count() + 1); // 1.a and 1.c both PATCH the user, once each
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 200 && !await condition(); attempt++)
        {
            await Task.Delay(50);
        }
    }
}
