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
}
