using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Tests.Support;
using static ResponseFunctions.Playbook.Tests.Cases.CompromisedAzureResource.AzureScenario;

namespace ResponseFunctions.Playbook.Tests.Cases.CompromisedAzureResource;

/// <summary>3.a against the simulated ARM plane: what the tenant holds after each step, and what was sent.</summary>
public sealed class IsolateResourceTests
{
    private static string NsgOf(PlaybookHarness harness, string nic) =>
        harness.Tenant.State.Read(m => m.Azure.Find(nic)!["properties"]?["networkSecurityGroup"]?["id"]?.GetValue<string>() ?? "none");

    [Fact]
    public async Task Isolate_CryptominerVm_EveryNicBehindDenyAllNsg_PreviousNsgKeptInPlanAndTag()
    {
        await using var harness = await PlaybookHarness.StartAsync("cryptominer-vm", p => p.Resources.ForensicSourceRanges = ["45.155.205.10/32"]);
        var step = await harness.StepAsync("3.a", PlaybookHarness.ResourceRequest(Vm));
        var action = harness.Action("3.a");

        var plan = await action.PlanAsync(step, CancellationToken.None);
        var applied = await action.ApplyAsync(step, plan, CancellationToken.None);
        var verified = await action.VerifyAsync(step, plan, CancellationToken.None);

        Assert.Equal(PlanStatus.ChangeRequired, plan.Status);
        Assert.Contains(PreviousNsg, plan.Before!.Value.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(ApplyOutcome.Applied, applied.Outcome);
        Assert.Equal(VerifyOutcome.Verified, verified.Outcome);
        Assert.Equal(IsolationNsg, NsgOf(harness, Nic1));
        Assert.Equal(IsolationNsg, NsgOf(harness, Nic2));
        Assert.Equal(PreviousNsg, harness.Tenant.State.Read(m => m.Azure.Find(Nic1)!["tags"]!["responsefunctions-previous-nsg"]!.GetValue<string>()));
        var rules = harness.Tenant.State.Read(m => m.Azure.Find(IsolationNsg)!["properties"]!["securityRules"]!.ToJsonString());
        Assert.Contains("\"sourceAddressPrefix\":\"45.155.205.10/32\"", rules, StringComparison.Ordinal);
        Assert.Equal(2, harness.Tenant.State.Read(m => m.Azure.Resources.Count(r => r["type"]!.GetValue<string>() == "Microsoft.Compute/snapshots")));
        Assert.True(harness.Tenant.State.Read(m => m.Azure.IsolatedAt.ContainsKey(Vm)));
    }

    [Fact]
    public async Task Isolate_SecondRun_PlansNothingAndSendsNoWrite()
    {
        await using var harness = await PlaybookHarness.StartAsync("cryptominer-vm");
        var step = await harness.StepAsync("3.a", PlaybookHarness.ResourceRequest(Vm));
        var action = harness.Action("3.a");
        var first = await action.PlanAsync(step, CancellationToken.None);
        await action.ApplyAsync(step, first, CancellationToken.None);
        var writes = harness.Writes().Count(w => w.Method != "POST" || !w.PathAndQuery.Contains("/listKeys", StringComparison.Ordinal));

        var second = await action.PlanAsync(step, CancellationToken.None);
        var again = await action.ApplyAsync(step, first, CancellationToken.None);

        Assert.Equal(PlanStatus.NothingToDo, second.Status);
        Assert.Equal(ApplyOutcome.AlreadyInPlace, again.Outcome);
        Assert.Equal(writes, harness.Writes().Count(w => w.Method != "POST" || !w.PathAndQuery.Contains("/listKeys", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Isolate_SlowLongRunningOperation_PolledUntilDone_HonouringRetryAfter()
    {
        await using var harness = await PlaybookHarness.StartAsync("cryptominer-vm", p => p.Resources.SnapshotDisks = false);
        harness.Tenant.State.Mutate(m => m.Azure.OperationPolls = 6);
        var step = await harness.StepAsync("3.a", PlaybookHarness.ResourceRequest(Vm));
        var action = harness.Action("3.a");
        var waitsBefore = PlaybookHarness.AzureWaits.Waits.Count;

        var applied = await action.ApplyAsync(step, await action.PlanAsync(step, CancellationToken.None), CancellationToken.None);

        Assert.Equal(ApplyOutcome.Applied, applied.Outcome);
        Assert.Equal(IsolationNsg, NsgOf(harness, Nic2));
        var polls = harness.Tenant.Requests.Snapshot().Count(r => r.Method == "GET" && r.PathAndQuery.Contains("/operations/", StringComparison.Ordinal));
        Assert.Equal(3 * 7, polls); // NSG, NIC 1, NIC 2: six InProgress answers, then Succeeded
        Assert.True(PlaybookHarness.AzureWaits.Waits.Count - waitsBefore >= polls);
        Assert.Contains(TimeSpan.FromSeconds(1), PlaybookHarness.AzureWaits.Waits);
    }

    [Fact]
    public async Task Isolate_ProtectedResource_RefusedAtPlanAndApply()
    {
        await using var harness = await PlaybookHarness.StartAsync("webshell-app", p => p.Resources.ProtectedResources = [ResourceGroup]);
        var step = await harness.StepAsync("3.a", PlaybookHarness.ResourceRequest(Site));
        var action = harness.Action("3.a");

        var plan = await action.PlanAsync(step, CancellationToken.None);
        var applied = await action.ApplyAsync(step, plan with { Status = PlanStatus.ChangeRequired }, CancellationToken.None);

        Assert.Equal(PlanStatus.Refused, plan.Status);
        Assert.Equal(ApplyOutcome.Refused, applied.Outcome);
        Assert.Empty(harness.Writes());
    }

    [Fact]
    public async Task Isolate_WebApp_SiteAndSlotStopped_SiteAndScmDenyAll()
    {
        await using var harness = await PlaybookHarness.StartAsync("webshell-app");
        var step = await harness.StepAsync("3.a", PlaybookHarness.ResourceRequest(Site));
        var action = harness.Action("3.a");

        var plan = await action.PlanAsync(step, CancellationToken.None);
        await action.ApplyAsync(step, plan, CancellationToken.None);

        Assert.Equal(4, plan.Changes.Count);
        Assert.Equal(VerifyOutcome.Verified, (await action.VerifyAsync(step, plan, CancellationToken.None)).Outcome);
        foreach (var id in new[] { Site, Site + "/slots/staging" })
        {
            Assert.Equal("Stopped", harness.Tenant.State.Read(m => m.Azure.Find(id)!["properties"]!["state"]!.GetValue<string>()));
            var config = harness.Tenant.State.Read(m => m.Azure.Find(id + "/config/web")!["properties"]!.DeepClone());
            Assert.Equal("Deny", config["ipSecurityRestrictionsDefaultAction"]!.GetValue<string>());
            Assert.Equal("Deny", config["scmIpSecurityRestrictionsDefaultAction"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Isolate_StorageAccount_PublicAccessOff_PreviousRulesInBeforeState()
    {
        await using var harness = await PlaybookHarness.StartAsync("exposed-storage");
        var step = await harness.StepAsync("3.a", PlaybookHarness.ResourceRequest(Storage));
        var action = harness.Action("3.a");

        var plan = await action.PlanAsync(step, CancellationToken.None);
        await action.ApplyAsync(step, plan, CancellationToken.None);

        Assert.Contains("83.166.128.0/24", plan.Before!.Value.GetRawText(), StringComparison.Ordinal);
        var properties = harness.Tenant.State.Read(m => m.Azure.Find(Storage)!["properties"]!.DeepClone());
        Assert.False(properties["allowBlobPublicAccess"]!.GetValue<bool>());
        Assert.Equal("Disabled", properties["publicNetworkAccess"]!.GetValue<string>());
        Assert.Equal("Deny", properties["networkAcls"]!["defaultAction"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("cryptominer-vm", Vm)]
    [InlineData("exposed-storage", Storage)]
    [InlineData("webshell-app", Site)]
    public async Task Isolate_Contract_AppliesOnceThenSendsNothing(string scenario, string resource)
    {
        await using var harness = await PlaybookHarness.StartAsync(scenario);
        var step = await harness.StepAsync("3.a", PlaybookHarness.ResourceRequest(resource));

        await ActionContract.AppliesOnceThenNothingAsync(harness, step);
    }

    [Fact]
    public async Task Isolate_ResourceProtectedAfterApproval_RefusedAtPlanAndApply()
    {
        await using var harness = await PlaybookHarness.StartAsync("exposed-storage");
        var step = await harness.StepAsync("3.a", PlaybookHarness.ResourceRequest(Storage));

        await ActionContract.RefusedByTheGuardAtPlanAndApplyAsync(harness, step, p => p.Resources.ProtectedResources.Add(Storage));
    }

    [Fact]
    public async Task Isolate_StorageUpdateForbidden_FailureKeptOnTheChange()
    {
        await using var harness = await PlaybookHarness.StartAsync("exposed-storage");
        var step = await harness.StepAsync("3.a", PlaybookHarness.ResourceRequest(Storage));

        await ActionContract.PermanentFailureKeptOnTheChangeAsync(harness, step, "PATCH", "/storageAccounts/stcontosoexports");
    }

    [Fact]
    public async Task Isolate_StorageUpdateUnavailable_RethrownForTheEngine_RetryCompletes()
    {
        await using var harness = await PlaybookHarness.StartAsync("exposed-storage");
        var step = await harness.StepAsync("3.a", PlaybookHarness.ResourceRequest(Storage));

        await ActionContract.TransientFailureRethrownThenRetriedAsync(harness, step, "PATCH", "/storageAccounts/stcontosoexports");
    }
}
