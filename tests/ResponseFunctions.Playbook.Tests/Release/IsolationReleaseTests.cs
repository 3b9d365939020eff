using System.Text.Json.Nodes;
using ResponseFunctions.InProcess;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Release;
using ResponseFunctions.Playbook.Tests.Support;
using static ResponseFunctions.Playbook.Tests.Cases.CompromisedAzureResource.AzureScenario;

namespace ResponseFunctions.Playbook.Tests.Release;

/// <summary>
/// Release of 3.a in the real Durable Task engine (in-process): a resource isolated by a containment, then taken out of
/// isolation on the same simulated tenant: what the tenant holds after, what was sent, what the main courante says.
/// </summary>
public sealed class IsolationReleaseTests
{
    [Fact]
    public async Task Release_IsolatedVm_NicsBackBehindTheirPreviousNsg_DenyAllNsgDeleted_LinkedToTheOriginalStep()
    {
        await using var harness = await PlaybookHarness.StartAsync("cryptominer-vm");
        var contained = await harness.RunAsync(PlaybookHarness.ResourceRequest(Vm), ApprovalVerdict.Approve);
        var writesBefore = harness.Writes().Count;

        var released = await ReleaseAsync(harness, contained, new ScriptedApprovalChannel(ApprovalVerdict.Approve));

        var step = Assert.Single(released.Steps);
        Assert.Equal((ApprovalOutcome.Approved, ApplyOutcome.Applied, VerifyOutcome.Verified), (step.Approval, step.Apply, step.Verify));
        Assert.Equal(PreviousNsg, NsgOf(harness, Nic1));
        Assert.Equal("none", NsgOf(harness, Nic2));
        Assert.Null(harness.Tenant.State.Read(m => m.Azure.Find(IsolationNsg)));
        Assert.Null(harness.Tenant.State.Read(m => m.Azure.Find(Nic1)!["tags"]?["responsefunctions-previous-nsg"]));
        Assert.Equal(2, harness.Tenant.State.Read(m => m.Azure.Resources.Count(r => r["type"]!.GetValue<string>() == "Microsoft.Compute/snapshots")));
        Assert.Equal(["PUT " + Nic1, "PUT " + Nic2, "DELETE " + IsolationNsg], Writes(harness, writesBefore));
        var apply = harness.Journal.Entries.Single(e => e.Id == $"{released.InstanceId}/01/apply");
        Assert.Equal($"{contained.InstanceId}/01/apply", apply.Data!.Value.GetProperty("originalEntryId").GetString());
        Assert.Contains($"{contained.InstanceId}/01/apply", apply.Detail, StringComparison.Ordinal);
        Assert.Contains("snapshots taken for the investigation are kept", string.Join(" ", step.Warnings!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_VmDeallocatedByTheContainment_IsStartedAgain()
    {
        await using var harness = await PlaybookHarness.StartAsync("cryptominer-vm", p => p.Resources.DeallocateVirtualMachines = true);
        var contained = await harness.RunAsync(PlaybookHarness.ResourceRequest(Vm), ApprovalVerdict.Approve);
        Assert.Equal("deallocated", Power(harness));

        var released = await ReleaseAsync(harness, contained, new ScriptedApprovalChannel(ApprovalVerdict.Approve));

        Assert.Equal(VerifyOutcome.Verified, Assert.Single(released.Steps).Verify);
        Assert.Equal("running", Power(harness));
        Assert.Contains(harness.Writes(), w => w.Method == "POST" && w.PathAndQuery.StartsWith(Vm + "/start?", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Release_NicMovedByAPersonSinceTheContainment_IsNotOverwritten_TheOtherNicIsRestored()
    {
        await using var harness = await PlaybookHarness.StartAsync("cryptominer-vm");
        var contained = await harness.RunAsync(PlaybookHarness.ResourceRequest(Vm), ApprovalVerdict.Approve);
        await MoveNicAsync(harness, Nic2, PreviousNsg);
        var writesBefore = harness.Writes().Count;

        var released = await ReleaseAsync(harness, contained, new ScriptedApprovalChannel(ApprovalVerdict.Approve));

        var step = Assert.Single(released.Steps);
        Assert.Equal(ApplyOutcome.Applied, step.Apply);
        Assert.Equal(PreviousNsg, NsgOf(harness, Nic2));
        Assert.Equal(PreviousNsg, NsgOf(harness, Nic1));
        Assert.DoesNotContain("PUT " + Nic2, Writes(harness, writesBefore));
        var plan = harness.Journal.Entries.Single(e => e.Id == $"{released.InstanceId}/01/plan");
        Assert.Contains("Changed since the containment: NIC vm-build-01-nic2 is behind nsg-build-weu now", plan.Data!.Value.GetProperty("warnings").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_NicMovedBetweenPlanAndApproval_ChangeRefused_NothingOverwritten()
    {
        await using var harness = await PlaybookHarness.StartAsync("cryptominer-vm");
        var contained = await harness.RunAsync(PlaybookHarness.ResourceRequest(Vm), ApprovalVerdict.Approve);
        var writesBefore = harness.Writes().Count;
        var approvals = new CallbackApprovalChannel(() => MoveNicAsync(harness, Nic1, null));

        var released = await ReleaseAsync(harness, contained, approvals);

        var step = Assert.Single(released.Steps);
        Assert.Equal(ApplyOutcome.PartiallyApplied, step.Apply);
        var apply = harness.Journal.Entries.Single(e => e.Id == $"{released.InstanceId}/01/apply");
        Assert.Contains("changed-since-plan", apply.Data!.Value.GetProperty("changes").ToString(), StringComparison.Ordinal);
        Assert.Equal("none", NsgOf(harness, Nic1));
        Assert.Equal("none", NsgOf(harness, Nic2));
        Assert.Equal(["PUT " + Nic1, "PUT " + Nic2, "DELETE " + IsolationNsg], Writes(harness, writesBefore));
    }

    [Fact]
    public async Task Release_WebApp_SiteAndSlotAccessRestrictionsAsJournaled_AndBothStarted()
    {
        await using var harness = await PlaybookHarness.StartAsync("webshell-app");
        var configBefore = Config(harness, Site);
        var contained = await harness.RunAsync(PlaybookHarness.ResourceRequest(Site), ApprovalVerdict.Approve);
        var writesBefore = harness.Writes().Count;

        var released = await ReleaseAsync(harness, contained, new ScriptedApprovalChannel(ApprovalVerdict.Approve));

        Assert.Equal(VerifyOutcome.Verified, Assert.Single(released.Steps).Verify);
        Assert.Equal(configBefore, Config(harness, Site));
        foreach (var id in new[] { Site, Slot })
        {
            Assert.Equal("Running", harness.Tenant.State.Read(m => m.Azure.Find(id)!["properties"]!["state"]!.GetValue<string>()));
            Assert.Equal("Allow", harness.Tenant.State.Read(m => m.Azure.Find(id + "/config/web")!["properties"]!["scmIpSecurityRestrictionsDefaultAction"]!.GetValue<string>()));
        }

        Assert.Equal(["PATCH " + Site + "/config/web", "POST " + Site + "/start", "PATCH " + Slot + "/config/web", "POST " + Slot + "/start"], Writes(harness, writesBefore));
    }

    [Fact]
    public async Task Release_SlotRestrictionsChangedSinceTheContainment_AreKept_TheSiteIsRestored()
    {
        await using var harness = await PlaybookHarness.StartAsync("webshell-app");
        var contained = await harness.RunAsync(PlaybookHarness.ResourceRequest(Site), ApprovalVerdict.Approve);
        harness.Tenant.State.Mutate(m => m.Azure.Find(Slot + "/config/web")!["properties"]!["ipSecurityRestrictionsDefaultAction"] = "Allow");
        var slotConfig = Config(harness, Slot);

        var released = await ReleaseAsync(harness, contained, new ScriptedApprovalChannel(ApprovalVerdict.Approve));

        var step = Assert.Single(released.Steps);
        Assert.Equal(VerifyOutcome.Verified, step.Verify);
        Assert.Equal(slotConfig, Config(harness, Slot));
        Assert.Equal("Allow", harness.Tenant.State.Read(m => m.Azure.Find(Site + "/config/web")!["properties"]!["scmIpSecurityRestrictionsDefaultAction"]!.GetValue<string>()));
        Assert.Contains(step.Warnings!, w => w.StartsWith("Changed since the containment: staging's access restrictions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Release_StorageAccount_PublicAccessAndFirewallAsJournaled()
    {
        await using var harness = await PlaybookHarness.StartAsync("exposed-storage");
        var before = Properties(harness);
        var contained = await harness.RunAsync(PlaybookHarness.ResourceRequest(Storage), ApprovalVerdict.Approve);
        var writesBefore = harness.Writes().Count;

        var released = await ReleaseAsync(harness, contained, new ScriptedApprovalChannel(ApprovalVerdict.Approve));

        Assert.Equal(VerifyOutcome.Verified, Assert.Single(released.Steps).Verify);
        Assert.Equal(before, Properties(harness));
        Assert.Equal(["PATCH " + Storage, "PATCH " + Storage, "PATCH " + Storage], Writes(harness, writesBefore));
    }

    [Fact]
    public async Task Release_StorageFirewallChangedSinceTheContainment_IsKept_TheOtherSettingsRestored()
    {
        await using var harness = await PlaybookHarness.StartAsync("exposed-storage");
        var contained = await harness.RunAsync(PlaybookHarness.ResourceRequest(Storage), ApprovalVerdict.Approve);
        harness.Tenant.State.Mutate(m => m.Azure.Find(Storage)!["properties"]!["networkAcls"]!["ipRules"] = new JsonArray(new JsonObject { ["value"] = "198.51.100.0/24", ["action"] = "Allow" }));

        var released = await ReleaseAsync(harness, contained, new ScriptedApprovalChannel(ApprovalVerdict.Approve));

        var step = Assert.Single(released.Steps);
        Assert.Equal(VerifyOutcome.Verified, step.Verify);
        var properties = harness.Tenant.State.Read(m => m.Azure.Find(Storage)!["properties"]!.DeepClone());
        Assert.Equal("Deny", properties["networkAcls"]!["defaultAction"]!.GetValue<string>());
        Assert.Equal("198.51.100.0/24", properties["networkAcls"]!["ipRules"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("Enabled", properties["publicNetworkAccess"]!.GetValue<string>());
        Assert.True(properties["allowBlobPublicAccess"]!.GetValue<bool>());
        Assert.Contains(step.Warnings!, w => w.StartsWith("Changed since the containment: networkAcls", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Release_Rejected_ResourceStaysIsolated_NothingSent()
    {
        await using var harness = await PlaybookHarness.StartAsync("exposed-storage");
        var contained = await harness.RunAsync(PlaybookHarness.ResourceRequest(Storage), ApprovalVerdict.Approve);
        var writesBefore = harness.Writes().Count;

        var released = await ReleaseAsync(harness, contained, new ScriptedApprovalChannel(ApprovalVerdict.Reject));

        Assert.Equal(ApprovalOutcome.Rejected, Assert.Single(released.Steps).Approval);
        Assert.Equal(writesBefore, harness.Writes().Count);
        Assert.Equal("Disabled", harness.Tenant.State.Read(m => m.Azure.Find(Storage)!["properties"]!["publicNetworkAccess"]!.GetValue<string>()));
    }

    private const string Slot = Site + "/slots/staging";

    private static async Task<ReleaseReport> ReleaseAsync(PlaybookHarness harness, ContainmentReport contained, IApprovalChannel approvals)
    {
        await using var engine = await harness.StartEngineAsync(approvals);
        return await engine.RunReleaseAsync(new ReleaseRequest(contained.IncidentId, contained.InstanceId, ReleaseSelection.All, "cleaned", "tester@contoso.onmicrosoft.com"));
    }

    /// <summary>A person moves a NIC behind another NSG (or none) through ARM (the whole NIC, as PUT wants it).</summary>
    private static async Task MoveNicAsync(PlaybookHarness harness, string nic, string? nsg)
    {
        var arm = (AzureResources.ArmResources)harness.Services.GetService(typeof(AzureResources.ArmResources))!;
        var body = (await arm.ReadAsync(nic, CancellationToken.None))!.AsObject();
        body["properties"]!.AsObject().Remove("networkSecurityGroup");
        if (nsg is not null)
        {
            body["properties"]!["networkSecurityGroup"] = new JsonObject { ["id"] = nsg };
        }

        await arm.PutAsync(nic, body, CancellationToken.None);
    }

    private static string NsgOf(PlaybookHarness harness, string nic) =>
        harness.Tenant.State.Read(m => m.Azure.Find(nic)!["properties"]?["networkSecurityGroup"]?["id"]?.GetValue<string>() ?? "none");

    private static string Power(PlaybookHarness harness) => harness.Tenant.State.Read(m => m.Azure.Find(Vm)!["_powerState"]?.GetValue<string>() ?? "running");

    private static string Config(PlaybookHarness harness, string site) => harness.Tenant.State.Read(m => m.Azure.Find(site + "/config/web")!["properties"]!.ToJsonString());

    private static string Properties(PlaybookHarness harness) => harness.Tenant.State.Read(m => m.Azure.Find(Storage)!["properties"]!.ToJsonString());

    private static List<string> Writes(PlaybookHarness harness, int skip) =>
        [.. harness.Writes().Skip(skip).Select(w => $"{w.Method} {w.PathAndQuery[..w.PathAndQuery.IndexOf('?', StringComparison.Ordinal)]}")];

    /// <summary>Runs <paramref name="meanwhile"/> when asked (after the plan, before the apply), then approves.</summary>
    private sealed class CallbackApprovalChannel(Func<Task> meanwhile) : IApprovalChannel
    {
        public async Task<ApprovalDecision?> DecideAsync(ApprovalRequest request, TimeSpan timeout, CancellationToken cancellationToken)
        {
            await meanwhile();
            return new ApprovalDecision(request.RequestId, ApprovalVerdict.Approve, "analyst@contoso.onmicrosoft.com", DateTimeOffset.UtcNow, null);
        }
    }
}
