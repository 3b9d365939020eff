using System.Text.Json.Nodes;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Cases.CompromisedAccount;

public sealed class HardenConditionalAccessTests
{
    private const string IpLocationName = "ResponseFunctions - attacker IP addresses";
    private const string PolicyName = "ResponseFunctions - block attacker locations";

    [Fact]
    public async Task Apply_CreatesLocationAndReportOnlyBlockPolicyExcludingProtectedAccounts()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.e");
        var plan = await harness.Activities.PlanStepAsync(step, default);

        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);
        var verify = await harness.Activities.VerifyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(ApplyOutcome.Applied, result.Outcome);
        Assert.Equal(VerifyOutcome.Verified, verify.Outcome);
        Assert.Contains(plan.Evidence, e => e.Label.Contains("185.220.101.45", StringComparison.Ordinal) && e.Value.StartsWith('3'));
        var (location, policy) = Read(harness);
        Assert.Equal(["185.220.101.45/32", "45.155.205.23/32"], Ranges(location));
        Assert.Equal("enabledForReportingButNotEnforced", policy["state"]!.GetValue<string>());
        var users = policy["conditions"]!["users"]!;
        Assert.Equal(["All"], Strings(users["includeUsers"]));
        Assert.Equal([Contoso.BreakGlass1, Contoso.BreakGlass2], Strings(users["excludeUsers"]));
        Assert.Equal([location["id"]!.GetValue<string>()], Strings(policy["conditions"]!["locations"]!["includeLocations"]));
        Assert.Equal(["block"], Strings(policy["grantControls"]!["builtInControls"]));
    }

    [Fact]
    public async Task LaterIncident_ExtendsTheSameLocationAndPolicy()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var first = await harness.StepAsync("1.e");
        await harness.Activities.ApplyStepAsync(new StepWork(first, await harness.Activities.PlanStepAsync(first, default)), default);
        var second = await harness.StepAsync("1.e", PlaybookHarness.Request(ips: ["185.220.101.45", "83.166.128.200/32", "2a0b:f4c0:bad::/48"], incidentId: "INC-TEST-2"));

        var plan = await harness.Activities.PlanStepAsync(second, default);
        await harness.Activities.ApplyStepAsync(new StepWork(second, plan), default);

        var (location, _) = Read(harness);
        Assert.Equal(["185.220.101.45/32", "45.155.205.23/32", "2a0b:f4c0:bad::/48"], Ranges(location));
        Assert.Equal(1, harness.Tenant.State.Read(m => m.NamedLocations.Count(l => l["displayName"]!.GetValue<string>() == IpLocationName)));
        Assert.Equal(1, harness.Tenant.State.Read(m => m.ConditionalAccessPolicies.Count(p => p["displayName"]!.GetValue<string>() == PolicyName)));
        Assert.Contains(plan.Warnings, w => w.Contains("83.166.128.200/32 is inside the trusted named location \"Corporate HQ\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Enforce_CreatesTheBlockPolicyEnabled()
    {
        await using var harness = await PlaybookHarness.StartAsync(configure: p => p.ConditionalAccess.Enforce = true);
        var step = await harness.StepAsync("1.e");

        await harness.Activities.ApplyStepAsync(new StepWork(step, await harness.Activities.PlanStepAsync(step, default)), default);

        Assert.Equal("enabled", Read(harness).Policy["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Plan_AfterApply_NothingToDo()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.e");
        await harness.Activities.ApplyStepAsync(new StepWork(step, await harness.Activities.PlanStepAsync(step, default)), default);
        harness.Tenant.Requests.Clear();

        var plan = await harness.Action("1.e").PlanAsync(step, default);

        Assert.Equal(PlanStatus.NothingToDo, plan.Status);
        Assert.Empty(harness.Writes());
    }

    [Fact]
    public async Task Plan_OnlyTrustedIps_NothingToDo_NoPolicyWithoutLocations()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.e", PlaybookHarness.Request(ips: [Contoso.CorporateIp]));

        var plan = await harness.Action("1.e").PlanAsync(step, default);

        Assert.Equal(PlanStatus.NothingToDo, plan.Status);
        Assert.Contains(plan.Warnings, w => w.Contains("Corporate HQ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Plan_NoIpsNorCountries_NothingToDo()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.e", PlaybookHarness.Request(ips: []));

        Assert.Equal(PlanStatus.NothingToDo, (await harness.Action("1.e").PlanAsync(step, default)).Status);
    }

    private static (JsonObject Location, JsonObject Policy) Read(PlaybookHarness harness) => harness.Tenant.State.Read(m => (
        (JsonObject)m.NamedLocations.Single(l => l["displayName"]!.GetValue<string>() == IpLocationName).DeepClone(),
        (JsonObject)m.ConditionalAccessPolicies.Single(p => p["displayName"]!.GetValue<string>() == PolicyName).DeepClone()));

    private static List<string> Ranges(JsonObject location) =>
        [.. location["ipRanges"]!.AsArray().Select(r => r!["cidrAddress"]!.GetValue<string>())];

    private static List<string> Strings(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<string>())];

    [Fact]
    public async Task Contract_PlanApplyVerify_SecondApplySendsNothing()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.e");

        await ActionContract.AppliesOnceThenNothingAsync(harness, step);
    }

    [Fact]
    public async Task Contract_PermanentFailure_KeptOnTheChangeWithItsError()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.e");

        await ActionContract.PermanentFailureKeptOnTheChangeAsync(harness, step, "POST", "/identity/conditionalAccess/namedLocations");
    }

    [Fact]
    public async Task Contract_TransientFailure_RethrownForTheEngineRetry_ThenCompleted()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var step = await harness.StepAsync("1.e");

        await ActionContract.TransientFailureRethrownThenRetriedAsync(harness, step, "POST", "/identity/conditionalAccess/namedLocations");
    }
}
