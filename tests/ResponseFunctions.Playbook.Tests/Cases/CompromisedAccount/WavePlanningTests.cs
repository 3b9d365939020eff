using System.Text.Json;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;
using ResponseFunctions.SimulatedTenant;

namespace ResponseFunctions.Playbook.Tests.Cases.CompromisedAccount;

/// <summary>
/// A wave's steps of 1.a, 1.b, 1.c and 1.f planned together: a few list requests instead of a few per account, and
/// each step's plan exactly the one its own read would have given.
/// </summary>
public sealed class WavePlanningTests
{
    /// <summary>Adele (roles active, eligible and through a group) and 16 sprayed accounts, two of them holding a role.</summary>
    private static async Task<(PlaybookHarness Harness, IReadOnlyList<StepContext> Steps)> WaveAsync(string instance)
    {
        var harness = await PlaybookHarness.StartAsync(model: PasswordSprayScenario.Build(16));
        string[] users = [Contoso.AdeleUpn, .. Enumerable.Range(0, 16).Select(i => PasswordSprayScenario.UserPrincipalName(i))];
        var prepared = await harness.Activities.PrepareAsync(new PrepareInput(instance, PlaybookHarness.Request(users: users, incidentId: "INC-WAVE-PLAN"), DateTimeOffset.UtcNow), default);
        return (harness, prepared.Steps);
    }

    [Theory]
    [InlineData("1.a")]
    [InlineData("1.b")]
    [InlineData("1.c")]
    public async Task PlanWave_SeventeenAccounts_TwoListReadsNoUserReadAndEachPlanAsItsOwnReadGives(string action)
    {
        var (harness, all) = await WaveAsync("wave-users");
        await using var _ = harness;
        var steps = all.Where(s => s.Action.Value == action).ToList();
        var before = harness.Tenant.Requests.Snapshot().Count;

        var together = await harness.Activities.PlanStepsAsync(new StepBatch(steps, 4), default);
        var sent = harness.Tenant.Requests.Snapshot().Skip(before).Where(r => r.Method == "GET").ToList();
        var alone = new List<ActionPlan>();
        foreach (var step in steps)
        {
            alone.Add(await harness.Action(action).PlanAsync(step, default));
        }

        Assert.Equal(2, sent.Count(r => r.PathAndQuery.StartsWith("/v1.0/users?$filter=id in (", StringComparison.Ordinal)));
        // No target read on its own (the Global Administrator guard of 1.a and 1.c reads the administrators, fresh).
        Assert.DoesNotContain(sent, r => steps.Any(s => r.PathAndQuery.StartsWith($"/v1.0/users/{s.Target.Id}", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(alone.Select(Json), together.Select(p => Json(p!)));
        Assert.All(together, p => Assert.Equal(PlanStatus.ChangeRequired, p!.Status));
        Assert.Empty(harness.Writes());
    }

    [Fact]
    public async Task PlanWave_RolesOfSeventeenAccounts_FewRoleReadsAndEachPlanAsItsOwnReadGives()
    {
        var (harness, all) = await WaveAsync("wave-roles");
        await using var _ = harness;
        var steps = all.Where(s => s.Action.Value == "1.f").ToList();
        var before = harness.Tenant.Requests.Snapshot().Count;

        var together = await harness.Activities.PlanStepsAsync(new StepBatch(steps, 4), default);
        var sent = harness.Tenant.Requests.Snapshot().Skip(before).ToList();
        var alone = new List<ActionPlan>();
        foreach (var step in steps)
        {
            alone.Add(await harness.Action("1.f").PlanAsync(step, default));
        }

        // The principals' assignments by "in" (15 to a request), plus the role-assignable group's; the eligibilities in one list.
        Assert.Equal(3, sent.Count(r => r.PathAndQuery.Contains("roleAssignments?", StringComparison.Ordinal) && r.PathAndQuery.Contains("principalId in (", StringComparison.Ordinal)));
        Assert.DoesNotContain(sent, r => r.PathAndQuery.Contains("principalId eq", StringComparison.Ordinal) && !r.PathAndQuery.Contains("roleDefinitionId", StringComparison.Ordinal));
        Assert.Equal(1, sent.Count(r => r.PathAndQuery.Contains("roleEligibilitySchedules", StringComparison.Ordinal)));
        Assert.Equal(17, sent.Count(r => r.PathAndQuery.Contains("/memberOf/", StringComparison.Ordinal)));
        Assert.Equal(alone.Select(Json), together.Select(p => Json(p!)));
        // Adele's three illegitimate grants, and the two sprayed accounts given Privileged Role Administrator.
        Assert.Equal(3, together[0]!.Changes.Count);
        Assert.Equal(3, together.Count(p => p!.Status == PlanStatus.ChangeRequired));
        Assert.Empty(harness.Writes());
    }

    private static string Json(ActionPlan plan) => JsonSerializer.Serialize(plan, JournalJson.Options);
}
