using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Requests;
using ResponseFunctions.Playbook.Tests.Support;
using ResponseFunctions.SimulatedTenant;

namespace ResponseFunctions.Playbook.Tests.Orchestration;

/// <summary>The whole containment in the real Durable Task engine (in-process): the orchestrator Azure Functions runs.</summary>
public sealed class ContainmentFlowTests
{
    [Fact]
    public async Task Contain_AllApproved_ContainsTheAccountAndLeavesProtectedAccountsUntouched()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var protectedBefore = ProtectedState(harness);

        var report = await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Approve);

        Assert.Equal(ContainmentPhase.Completed, report.Phase);
        Assert.All(report.Steps, s => Assert.Equal(ApplyOutcome.Applied, s.Apply));
        Assert.All(report.Steps, s => Assert.Equal(VerifyOutcome.Verified, s.Verify));
        var adele = harness.Tenant.State.Read(m => m.FindUser(Contoso.Adele)!);
        Assert.False(adele.AccountEnabled);
        Assert.NotNull(adele.SignInSessionsValidFromDateTime);
        Assert.Equal(["28c10230-6103-485e-b985-444c60001490"], adele.AuthenticationMethods.Select(a => a.Id));
        Assert.DoesNotContain("ra-adele-pra", harness.Tenant.State.Read(m => m.RoleAssignments.Select(a => a.Id).ToList()));
        Assert.DoesNotContain("es-adele-ga", harness.Tenant.State.Read(m => m.RoleEligibilitySchedules.Select(a => a.Id).ToList()));
        Assert.Equal(protectedBefore, ProtectedState(harness));
        Assert.DoesNotContain(harness.Writes(), w => w.PathAndQuery.Contains(Contoso.BreakGlass1, StringComparison.Ordinal)
                                                     || w.PathAndQuery.Contains(Contoso.BreakGlass2, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Contain_EveryStepPlannedBeforeAnyChange_P0BeforeP1()
    {
        await using var harness = await PlaybookHarness.StartAsync();

        await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Approve);

        var entries = harness.Journal.Entries;
        var lastPlan = entries.ToList().FindLastIndex(e => e.Outcome.StartsWith("plan:", StringComparison.Ordinal));
        var firstApply = entries.ToList().FindIndex(e => e.Outcome.StartsWith("apply:", StringComparison.Ordinal));
        Assert.True(lastPlan < firstApply);
        Assert.Equal(["1.a", "1.b", "1.c", "1.d", "1.e", "1.f", "1.risk"],
            entries.Where(e => e.Outcome.StartsWith("apply:", StringComparison.Ordinal)).Select(e => e.Action));
        Assert.Equal(JournalEvents.Started, entries[0].Action);
        Assert.Equal(JournalEvents.Completed, entries[^1].Action);
        Assert.Contains("stay valid until they expire", entries[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contain_AllRejected_NothingDestructiveApplied_DecisionsJournaledWithTheApprover()
    {
        await using var harness = await PlaybookHarness.StartAsync();

        var report = await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Reject);

        Assert.All(report.Steps.Where(s => ActionCatalog.Get(s.Action).Destructive), s =>
        {
            Assert.Equal(ApprovalOutcome.Rejected, s.Approval);
            Assert.Null(s.Apply);
        });
        Assert.All(harness.Writes(), w => Assert.Contains("/identityProtection/riskyUsers/confirmCompromised", w.PathAndQuery, StringComparison.Ordinal));
        Assert.True(harness.Tenant.State.Read(m => m.FindUser(Contoso.Adele)!.AccountEnabled));
        var decisions = harness.Journal.Entries.Where(e => e.Outcome == "approval:rejected").ToList();
        Assert.Equal(6, decisions.Count);
        Assert.All(decisions, d => Assert.Equal("analyst@contoso.onmicrosoft.com", d.Actor));
    }

    [Fact]
    public async Task Contain_ApprovalTimesOut_StepNotApplied_JournaledAsTimedOut()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var approvals = new ScriptedApprovalChannel(ApprovalVerdict.Approve).On("1.c", null);

        var report = await harness.RunAsync(PlaybookHarness.Request(), approvals);

        var disable = report.Steps.Single(s => s.Action.Value == "1.c");
        Assert.Equal(ApprovalOutcome.TimedOut, disable.Approval);
        Assert.Null(disable.Apply);
        Assert.True(harness.Tenant.State.Read(m => m.FindUser(Contoso.Adele)!.AccountEnabled));
        Assert.Contains(harness.Journal.Entries, e => e.Action == "1.c" && e.Outcome == "approval:timed-out" && e.Actor == "policy");
        Assert.Equal(ApplyOutcome.Applied, report.Steps.Single(s => s.Action.Value == "1.b").Apply);
    }

    [Fact]
    public async Task Contain_Twice_SecondRunChangesNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Approve);
        harness.Tenant.Requests.Clear();

        var second = await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Approve);

        Assert.All(second.Steps, s => Assert.Equal(PlanStatus.NothingToDo, s.Plan));
        Assert.Empty(harness.Writes());
    }

    [Fact]
    public async Task Plan_AppliesNothing_AndAsksNobody()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var approvals = new ScriptedApprovalChannel(ApprovalVerdict.Approve);

        var report = await harness.RunAsync(PlaybookHarness.Request(ContainmentMode.Plan), approvals);

        Assert.Equal(ContainmentPhase.Planned, report.Phase);
        Assert.All(report.Steps, s => Assert.Equal(PlanStatus.ChangeRequired, s.Plan));
        Assert.Empty(harness.Writes());
        Assert.Empty(approvals.Asked);
    }

    [Fact]
    public async Task Contain_PreApprovedAction_RunsWithoutAsking()
    {
        await using var harness = await PlaybookHarness.StartAsync(configure: p => p.PreApprovedActions.Add("1.b"));
        var approvals = new ScriptedApprovalChannel(ApprovalVerdict.Reject);

        var report = await harness.RunAsync(PlaybookHarness.Request(), approvals);

        var revoke = report.Steps.Single(s => s.Action.Value == "1.b");
        Assert.Equal(ApprovalOutcome.PreApproved, revoke.Approval);
        Assert.Equal(ApplyOutcome.Applied, revoke.Apply);
        Assert.DoesNotContain(approvals.Asked, r => r.Action.Value == "1.b");
    }

    [Fact]
    public async Task Contain_ProtectedPrincipal_EveryStepRefused_NothingSentForIt()
    {
        await using var harness = await PlaybookHarness.StartAsync();

        var report = await harness.RunAsync(PlaybookHarness.Request(users: [Contoso.BreakGlass1], ips: []), ApprovalVerdict.Approve);

        Assert.All(report.Steps.Where(s => s.Target.Id == Contoso.BreakGlass1), s => Assert.Equal(PlanStatus.Refused, s.Plan));
        Assert.Empty(harness.Writes());
        Assert.Contains(harness.Journal.Entries, e => e.Outcome == "plan:refused" && e.Detail.Contains("break-glass", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Contain_PlaybookOwnIdentity_Refused()
    {
        await using var harness = await PlaybookHarness.StartAsync(configure: p => p.PlaybookIdentityObjectId = Contoso.Diego);

        var report = await harness.RunAsync(PlaybookHarness.Request(users: [Contoso.Diego], ips: []), ApprovalVerdict.Approve);

        Assert.All(report.Steps.Where(s => s.Target.Id == Contoso.Diego), s => Assert.Equal(PlanStatus.Refused, s.Plan));
        Assert.True(harness.Tenant.State.Read(m => m.FindUser(Contoso.Diego)!.AccountEnabled));
    }

    [Fact]
    public async Task Contain_GlobalAdminWhenOnlyOneOtherTrustedRemains_LockoutStepsRefused()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        harness.Tenant.State.Mutate(m => m.FindUser(Contoso.BreakGlass2)!.AccountEnabled = false);

        var report = await harness.RunAsync(PlaybookHarness.Request(users: [Contoso.Megan], ips: []), ApprovalVerdict.Approve);

        foreach (var action in new[] { "1.a", "1.c", "1.d" })
        {
            Assert.Equal(PlanStatus.Refused, report.Steps.Single(s => s.Action.Value == action).Plan);
        }

        Assert.True(harness.Tenant.State.Read(m => m.FindUser(Contoso.Megan)!.AccountEnabled));
        Assert.Contains(harness.Journal.Entries, e => e.Action == "1.c" && e.Outcome == "plan:refused" && e.Detail.Contains("at least 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Contain_GlobalAdminWhenTwoOtherTrustedRemain_Allowed()
    {
        await using var harness = await PlaybookHarness.StartAsync();

        var report = await harness.RunAsync(PlaybookHarness.Request(users: [Contoso.Megan], ips: []), ApprovalVerdict.Approve);

        Assert.Equal(ApplyOutcome.Applied, report.Steps.Single(s => s.Action.Value == "1.c").Apply);
        Assert.False(harness.Tenant.State.Read(m => m.FindUser(Contoso.Megan)!.AccountEnabled));
    }

    [Fact]
    public async Task Contain_ThrottledWithRetryAfter_RetriesAndSucceeds()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        harness.Tenant.Faults.Add(new FaultRule("PATCH", $"/users/{Contoso.Adele}", StatusCode: 429, RetryAfter: TimeSpan.FromSeconds(1), Times: 1));

        var report = await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Approve);

        Assert.True(ApplyOutcome.Applied == report.Steps.Single(s => s.Action.Value == "1.a").Apply, report.Steps.Single(s => s.Action.Value == "1.a").Error?.Message);
        Assert.Equal([429, 204], harness.Tenant.Requests.Find("PATCH", $"/users/{Contoso.Adele}").Take(2).Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Contain_UnknownUser_JournaledAsUnresolved_NeverActedOn()
    {
        await using var harness = await PlaybookHarness.StartAsync();

        var report = await harness.RunAsync(PlaybookHarness.Request(users: [Contoso.AdeleUpn, "nobody@contoso.onmicrosoft.com"]), ApprovalVerdict.Approve);

        Assert.Equal("nobody@contoso.onmicrosoft.com", Assert.Single(report.Unresolved).Value);
        Assert.DoesNotContain(report.Steps, s => s.Target.Name.Contains("nobody", StringComparison.Ordinal));
        Assert.Contains(harness.Journal.Entries, e => e.Action == JournalEvents.TargetUnresolved && e.Target == "nobody@contoso.onmicrosoft.com");
    }

    [Fact]
    public async Task Contain_ResourceTypeWithoutHandler_PlannedAsManualForEveryAction_NeverSkipped()
    {
        await using var harness = await PlaybookHarness.StartAsync();

        // Case 3 handles VMs, sites and storage accounts; an Azure SQL server is the responder's, with the sheet's instruction.
        var request = PlaybookHarness.Request(cases: [CaseId.CompromisedAccount, CaseId.CompromisedAzureResource]);
        request = request with { Targets = request.Targets with { Resources = ["/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Sql/servers/sql1"] } };
        var report = await harness.RunAsync(request, ApprovalVerdict.Approve);

        var resources = report.Steps.Where(s => s.Action.CaseNumber == 3).ToList();
        Assert.Equal(["3.a", "3.b"], resources.Select(s => s.Action.Value));
        Assert.All(resources, s => Assert.Equal(PlanStatus.NotBuilt, s.Plan));
        Assert.All(resources, s => Assert.StartsWith("Manual: ", s.Summary, StringComparison.Ordinal));
        Assert.Contains(harness.Journal.Entries, e => e.Action == "3.a" && e.Outcome == "plan:not-built" && e.Detail.Contains("Microsoft.Sql/servers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Contain_UnlicensedIdentityProtection_ReportedNotFatal()
    {
        await using var harness = await PlaybookHarness.StartAsync("compromised-account-unlicensed");

        var report = await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Approve);

        Assert.Equal(PlanStatus.Failed, report.Steps.Single(s => s.Action.Value == "1.risk").Plan);
        Assert.Equal(ContainmentPhase.Completed, report.Phase);
        Assert.False(harness.Tenant.State.Read(m => m.FindUser(Contoso.Adele)!.AccountEnabled));
    }

    private static string ProtectedState(PlaybookHarness harness) => harness.Tenant.State.Read(m => System.Text.Json.JsonSerializer.Serialize(
        m.Users.Where(u => u.Id is Contoso.BreakGlass1 or Contoso.BreakGlass2)));
}
