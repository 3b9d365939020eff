using System.Text.Json;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Cases.CompromisedAzureResource;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Release;
using ResponseFunctions.Playbook.Tests.Support;
using static ResponseFunctions.Playbook.Tests.Cases.CompromisedAzureResource.AzureScenario;

namespace ResponseFunctions.Playbook.Tests.Cases.CompromisedAzureResource;

/// <summary>
/// 3.a's and 3.b's planned changes as the journal and the orchestration's history carry them: each kind its own record,
/// written under the verb it was journaled with before it was typed, read back as the same record, and still read by
/// release's JSON reader (kind, object and values).
/// </summary>
public sealed class ResourceChangeKindsTests
{
    public static TheoryData<string, string, string, string[]> Plans => new()
    {
        { "cryptominer-vm", "3.a", Vm, ["ensure-isolation-nsg", "associate-isolation-nsg", "associate-isolation-nsg", "snapshot-disk", "snapshot-disk", "deallocate-vm"] },
        { "webshell-app", "3.a", Site, ["stop-site", "restrict-access", "stop-site", "restrict-access"] }, // the site, then its slot
        { "exposed-storage", "3.a", Storage, ["close-storage-account"] },
        { "exposed-storage", "3.b", Storage, ["regenerate-storage-key", "regenerate-storage-key", "revoke-user-delegation-keys"] },
        { "cryptominer-vm", "3.b", Vm, ["reset-admin-password"] },
        { "webshell-app", "3.b", Site, ["disable-basic-auth", "disable-basic-auth", "disable-basic-auth", "disable-basic-auth", "regenerate-host-key", "regenerate-host-key", "rotate-key-vault-secret"] },
    };

    [Theory]
    [MemberData(nameof(Plans))]
    public async Task Plan_EachChangeIsItsOwnTypedRecord_RoundTripsThroughTheJournalJsonUnderItsOldVerb(string scenario, string action, string resource, string[] kinds)
    {
        await using var harness = await StartAsync(scenario);
        var step = await harness.StepAsync(action, PlaybookHarness.ResourceRequest(resource));
        var plan = await harness.Action(action).PlanAsync(step, CancellationToken.None);

        var json = JsonSerializer.Serialize(plan.Changes, JournalJson.Options);
        var back = JsonSerializer.Deserialize<List<PlannedChange>>(json, JournalJson.Options)!;

        Assert.Equal(kinds.Order(StringComparer.Ordinal), plan.Changes.Select(c => c.Kind).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(plan.Changes, c => c is UntypedChange);
        Assert.Equal(plan.Changes.Select(c => c.GetType()), back.Select(c => c.GetType()));
        Assert.Equal(json, JsonSerializer.Serialize(back, JournalJson.Options));
        Assert.DoesNotContain("\"parameters\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"untyped\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_KeyVaultSecret_OldVersionsAreAListNotAJoinedString()
    {
        await using var harness = await StartAsync("webshell-app");
        var step = await harness.StepAsync("3.b", PlaybookHarness.ResourceRequest(Site));
        var plan = await harness.Action("3.b").PlanAsync(step, CancellationToken.None);

        var rotate = Assert.Single(plan.Changes.OfType<RotateKeyVaultSecret>());
        var stale = harness.Tenant.State.Read(m => m.Azure.Vaults.Single().Secrets.Where(s => s.Name == "session-signing-key").Select(s => s.Version).ToList());
        Assert.Equal((Vault, "session-signing-key"), (rotate.Vault, rotate.Secret));
        Assert.Equal(stale.Order(StringComparer.Ordinal), rotate.OldVersions.Order(StringComparer.Ordinal));
        Assert.Equal(JsonValueKind.Array, JsonSerializer.SerializeToElement<PlannedChange>(rotate, JournalJson.Options).GetProperty("oldVersions").ValueKind);
    }

    // 3.a's release reads the journaled apply as JSON, by kind, and the NIC's isolation and previous NSG by name.
    [Fact]
    public async Task Apply_Vm_JournaledChangesReadByReleaseByKindWithTheirNsgs()
    {
        await using var harness = await StartAsync("cryptominer-vm");
        var step = await harness.StepAsync("3.a", PlaybookHarness.ResourceRequest(Vm));
        var action = harness.Action("3.a");
        var applied = await action.ApplyAsync(step, await action.PlanAsync(step, CancellationToken.None), CancellationToken.None);

        var read = OriginalStep.ChangesOf(JsonSerializer.SerializeToElement(applied, JournalJson.Options));

        Assert.Equal(applied.Changes.Select(c => c.Change.Kind), read.Select(c => c.Kind));
        Assert.All(read, c => Assert.Equal("done", c.Outcome));
        var nic = read.First(c => c.Kind == "associate-isolation-nsg");
        Assert.Equal(Nic1, nic.ResourceId);
        Assert.Equal(IsolationNsg, nic.Parameter("isolationNsg"));
        Assert.Equal(PreviousNsg, nic.Parameter("previousNsg"));
        Assert.Equal("westeurope", read.First(c => c.Kind == "ensure-isolation-nsg").Parameter("location"));
    }

    /// <summary>Deallocation and the VM password reset on, the session key generated by policy; the web app made a Function App with two host keys.</summary>
    private static async Task<PlaybookHarness> StartAsync(string scenario)
    {
        var harness = await PlaybookHarness.StartAsync(scenario, p =>
        {
            p.Resources.DeallocateVirtualMachines = true;
            p.Resources.ResetVmAdministratorPassword = true;
            p.Resources.GeneratedSecrets = [$"{Vault}/session-signing-key"];
        });
        if (scenario == "webshell-app")
        {
            harness.Tenant.State.Mutate(m =>
            {
                m.Azure.Find(Site)!["kind"] = "functionapp,linux";
                m.Azure.Keys.Add(new SimulatedTenant.AzureCloud.SimPlatformKey { ResourceId = Site, Kind = "masterKey", Name = "_master", Value = "old-master-key-value" });
                m.Azure.Keys.Add(new SimulatedTenant.AzureCloud.SimPlatformKey { ResourceId = Site, Kind = "functionKeys", Name = "default", Value = "old-default-key-value" });
            });
        }

        return harness;
    }
}
