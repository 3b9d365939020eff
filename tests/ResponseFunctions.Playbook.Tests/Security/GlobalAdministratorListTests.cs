using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Security;

/// <summary>
/// The guard reads the Global Administrator list once for many steps (<see cref="Playbook.Policy.GlobalAdministratorList"/>),
/// yet every decision about an administrator target counts the remaining trusted administrators on a fresh read.
/// </summary>
public sealed class GlobalAdministratorListTests
{
    private static readonly string GlobalAdministratorFilter = $"roleDefinitionId eq '{Contoso.GlobalAdministrator}'";

    [Fact]
    public async Task Contain_UserWhoIsNoAdministrator_ListReadOnceForEveryLockoutStep()
    {
        await using var harness = await PlaybookHarness.StartAsync();

        var report = await harness.RunAsync(PlaybookHarness.Request(ips: []), ApprovalVerdict.Approve);

        Assert.Contains(report.Steps, s => s.Action.Value == "1.c" && s.Apply == ApplyOutcome.Applied);
        // 1.a, 1.c and 1.d ask before planning and before applying: six questions, one read.
        Assert.Equal(1, harness.Tenant.Requests.Snapshot().Count(r => r.Method == "GET" && r.PathAndQuery.Contains(GlobalAdministratorFilter, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Apply_AdministratorTargetAndAnotherAdministratorDisabledSincePlanning_RefusedOnAFreshCount()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.c", PlaybookHarness.Request(users: [Contoso.Megan]));
        var plan = await harness.Activities.PlanStepAsync(step, default);

        // Within the list's lifetime, someone else disables a break-glass account: one trusted administrator would remain.
        harness.Tenant.State.Mutate(m => m.FindUser(Contoso.BreakGlass2)!.AccountEnabled = false);
        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(PlanStatus.ChangeRequired, plan.Status);
        Assert.Equal(ApplyOutcome.Refused, result.Outcome);
        Assert.True(harness.Tenant.State.Read(m => m.FindUser(Contoso.Megan)!.AccountEnabled));
    }
}
