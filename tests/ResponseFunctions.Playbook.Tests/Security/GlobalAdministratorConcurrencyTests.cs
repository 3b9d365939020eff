using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Security;

/// <summary>Two containments at once, each naming a different Global Administrator: the guard must not let both through.</summary>
public sealed class GlobalAdministratorConcurrencyTests
{
    [Fact]
    public async Task Apply_TwoOpenContainmentsEachDisablingAGlobalAdministrator_NeitherLeavesFewerThanTwoTrusted()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        harness.Tenant.State.Mutate(m =>
        {
            m.FindUser(Contoso.BreakGlass2)!.AccountEnabled = false;
            m.RoleAssignments.Add(new() { Id = "ra-alex-ga", PrincipalId = Contoso.Alex, RoleDefinitionId = Contoso.GlobalAdministrator });
        });

        // Enabled Global Administrators: break-glass 1, Megan and Alex. Incident A contains Megan, incident B contains Alex.
        var megan = await harness.StepAsync("1.c", PlaybookHarness.Request(users: [Contoso.Megan], incidentId: "INC-A"));
        var alex = await harness.StepAsync("1.c", PlaybookHarness.Request(users: [Contoso.Alex], incidentId: "INC-B"));
        var meganPlan = await harness.Activities.PlanStepAsync(megan, default) with { Status = PlanStatus.ChangeRequired };
        var alexPlan = await harness.Activities.PlanStepAsync(alex, default) with { Status = PlanStatus.ChangeRequired };
        harness.Tenant.Requests.Clear();

        var results = await Task.WhenAll(
            harness.Activities.ApplyStepAsync(new StepWork(megan, meganPlan), default),
            harness.Activities.ApplyStepAsync(new StepWork(alex, alexPlan), default));

        Assert.All(results, r => Assert.Equal(ApplyOutcome.Refused, r.Outcome));
        Assert.True(harness.Tenant.State.Read(m => m.FindUser(Contoso.Megan)!.AccountEnabled));
        Assert.True(harness.Tenant.State.Read(m => m.FindUser(Contoso.Alex)!.AccountEnabled));
        Assert.Empty(harness.Writes());
    }

    [Fact]
    public async Task Guard_AdminWhosePasswordThisPlaybookJustReset_NotCountedAsTrusted()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        harness.Tenant.State.Mutate(m =>
        {
            m.FindUser(Contoso.BreakGlass2)!.AccountEnabled = false;
            m.RoleAssignments.Add(new() { Id = "ra-alex-ga", PrincipalId = Contoso.Alex, RoleDefinitionId = Contoso.GlobalAdministrator });
        });

        // Incident A resets Megan's password (break-glass 1 and Alex remain trusted): allowed, and Megan stays enabled.
        var reset = await harness.StepAsync("1.a", PlaybookHarness.Request(users: [Contoso.Megan], incidentId: "INC-A"));
        var resetResult = await harness.Activities.ApplyStepAsync(new StepWork(reset, await harness.Activities.PlanStepAsync(reset, default)), default);

        // Incident B would then disable Alex: Megan, just reset, no longer counts, so only break-glass 1 would remain.
        var guard = (Playbook.Policy.TenantGuard)harness.Services.GetService(typeof(Playbook.Policy.TenantGuard))!;
        var alex = await harness.StepAsync("1.c", PlaybookHarness.Request(users: [Contoso.Alex], incidentId: "INC-B"));
        var verdict = await guard.CheckGlobalAdministratorLossAsync(alex.Target, alex.Scope, default);

        Assert.Equal(ApplyOutcome.Applied, resetResult.Outcome);
        Assert.True(harness.Tenant.State.Read(m => m.FindUser(Contoso.Megan)!.AccountEnabled));
        Assert.False(verdict.Allowed);
    }

    [Fact]
    public async Task Apply_GuardLockHeldElsewhere_NonAdministratorContainedWhileAnAdministratorWaits()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var ledger = (Playbook.Policy.ITenantGuardLedger)harness.Services.GetService(typeof(Playbook.Policy.ITenantGuardLedger))!;
        var adele = await harness.StepAsync("1.c", PlaybookHarness.Request(users: [Contoso.Adele], incidentId: "INC-A"));
        var megan = await harness.StepAsync("1.c", PlaybookHarness.Request(users: [Contoso.Megan], incidentId: "INC-B"));
        var adelePlan = await harness.Activities.PlanStepAsync(adele, default);
        var meganPlan = await harness.Activities.PlanStepAsync(megan, default);

        // Another containment holds the tenant-wide lock (it is changing a Global Administrator).
        var held = await ledger.LockAsync(default);
        var meganApply = harness.Activities.ApplyStepAsync(new StepWork(megan, meganPlan), default);

        // Adele holds no Global Administrator role: her change cannot reduce the trusted administrators, so it does not queue.
        var adeleResult = await harness.Activities.ApplyStepAsync(new StepWork(adele, adelePlan), default).WaitAsync(TimeSpan.FromSeconds(60));
        var meganEnabledWhileLocked = harness.Tenant.State.Read(m => m.FindUser(Contoso.Megan)!.AccountEnabled);
        await held.DisposeAsync();
        var meganResult = await meganApply;

        Assert.Equal(ApplyOutcome.Applied, adeleResult.Outcome);
        Assert.False(harness.Tenant.State.Read(m => m.FindUser(Contoso.Adele)!.AccountEnabled));
        Assert.True(meganEnabledWhileLocked);
        Assert.False(meganApply.IsFaulted);
        Assert.Equal(PlanStatus.ChangeRequired, meganPlan.Status);
        Assert.NotEqual(ApplyOutcome.Failed, meganResult.Outcome);
    }

    [Fact]
    public async Task Apply_AdministratorListUnreadableBeforeTheLock_LockTakenAndTheActionsOwnGuardDecides()
    {
        // Planned by one host; applied by another (a retry on another worker), which has not read the list yet.
        await using var planner = await PlaybookHarness.StartAsync();
        var adele = await planner.StepAsync("1.c", PlaybookHarness.Request(users: [Contoso.Adele], incidentId: "INC-A"));
        var plan = await planner.Activities.PlanStepAsync(adele, default);
        await using var harness = await PlaybookHarness.StartAsync();
        await harness.StepAsync("1.c", PlaybookHarness.Request(users: [Contoso.Adele], incidentId: "INC-A"));
        harness.Tenant.Faults.Add(new SimulatedTenant.FaultRule("GET", "roleAssignments", StatusCode: 403, Times: 1));

        var result = await harness.Activities.ApplyStepAsync(new StepWork(adele, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.False(harness.Tenant.State.Read(m => m.FindUser(Contoso.Adele)!.AccountEnabled));
    }
}
