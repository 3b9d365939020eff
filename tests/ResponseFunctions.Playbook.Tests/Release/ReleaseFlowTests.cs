using Microsoft.Extensions.DependencyInjection;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Release;
using ResponseFunctions.Playbook.Requests;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Release;

/// <summary>A containment, then its release, on the same simulated tenant and main courante, in the real Durable Task engine (in-process).</summary>
public sealed class ReleaseFlowTests
{
    private const string IpLocationName = "ResponseFunctions - attacker IP addresses";
    private const string PolicyName = "ResponseFunctions - block attacker locations";

    [Fact]
    public async Task Release_AllReversibleApproved_ReenablesTheAccountRemovesTheLocationsAndLinksEveryEntryToItsOriginal()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var contained = await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Approve);
        var writesBefore = harness.Writes().Count;

        var released = await ReleaseAsync(harness, contained, ReleaseSelection.All, new ScriptedApprovalChannel(ApprovalVerdict.Approve));

        Assert.Equal(ContainmentPhase.Completed, released.Phase);
        Assert.True(harness.Tenant.State.Read(m => m.FindUser(Contoso.Adele)!.AccountEnabled));
        Assert.DoesNotContain(harness.Tenant.State.Read(m => m.NamedLocations.Select(l => l["displayName"]!.GetValue<string>()).ToList()), n => n == IpLocationName);
        Assert.DoesNotContain(harness.Tenant.State.Read(m => m.ConditionalAccessPolicies.Select(p => p["displayName"]!.GetValue<string>()).ToList()), n => n == PolicyName);
        Assert.Equal(["PATCH /v1.0/users/" + Contoso.Adele, "DELETE /v1.0/identity/conditionalAccess/policies/", "DELETE /v1.0/identity/conditionalAccess/namedLocations/"],
            harness.Writes().Skip(writesBefore).Select(w => w.Method + " " + (w.PathAndQuery.Contains("/conditionalAccess/", StringComparison.Ordinal) ? w.PathAndQuery[..(w.PathAndQuery.LastIndexOf('/') + 1)] : w.PathAndQuery)));

        var entries = harness.Journal.Entries.Where(e => e.Id.StartsWith(released.InstanceId + "/", StringComparison.Ordinal)).ToList();
        var applies = entries.Where(e => e.Outcome == "apply:applied").ToList();
        Assert.Equal(["1.c", "1.e"], applies.Select(e => e.Action));
        Assert.Equal([$"{contained.InstanceId}/03/apply", $"{contained.InstanceId}/05/apply"],
            applies.Select(e => e.Data!.Value.GetProperty("originalEntryId").GetString()));
        Assert.All(applies, a => Assert.Contains(a.Data!.Value.GetProperty("originalEntryId").GetString()!, a.Detail, StringComparison.Ordinal));
        Assert.Equal(2, entries.Count(e => e.Outcome == "approval:approved"));
        var notUndone = entries.Where(e => e.Action == ReleaseEvents.NotUndone).ToList();
        Assert.Equal(["1.a", "1.b", "1.d", "1.f", "1.risk"], notUndone.Select(e => e.Data!.Value.GetProperty("originalEntryId").GetString()!)
            .Select(id => harness.Journal.Entries.Single(o => o.Id == id).Action));
        Assert.Contains("Temporary Access Pass", notUndone.Single(e => e.Detail.Contains("/04/apply", StringComparison.Ordinal)).Detail, StringComparison.Ordinal);
        Assert.Equal(ReleaseEvents.Completed, entries[^1].Action);
    }

    [Fact]
    public async Task Release_InTheExportSummary_NeitherCountsAsContainmentNorExtendsTheTimeToContain()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var contained = await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Approve);
        var before = MainCouranteSummary.From(contained.IncidentId, [.. harness.Journal.Entries]);

        await ReleaseAsync(harness, contained, ReleaseSelection.All, new ScriptedApprovalChannel(ApprovalVerdict.Approve));

        var after = MainCouranteSummary.From(contained.IncidentId, [.. harness.Journal.Entries]);
        Assert.Equal(before.TimeToContain, after.TimeToContain);
        Assert.Equal(before.Applied, after.Applied);
        Assert.Equal("Release requested", MainCouranteSummary.TitleOf(ReleaseEvents.Started));
    }

    [Fact]
    public async Task Release_Rejected_ChangesNothing_DecisionJournaledWithTheApprover()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var contained = await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Approve);
        var writesBefore = harness.Writes().Count;

        var released = await ReleaseAsync(harness, contained, ReleaseSelection.All, new ScriptedApprovalChannel(ApprovalVerdict.Reject));

        Assert.All(released.Steps, s => Assert.Equal(ApprovalOutcome.Rejected, s.Approval));
        Assert.Equal(writesBefore, harness.Writes().Count);
        Assert.False(harness.Tenant.State.Read(m => m.FindUser(Contoso.Adele)!.AccountEnabled));
        Assert.All(harness.Journal.Entries.Where(e => e.Id.StartsWith(released.InstanceId + "/", StringComparison.Ordinal) && e.Outcome == "approval:rejected"),
            e => Assert.Equal("analyst@contoso.onmicrosoft.com", e.Actor));
    }

    [Fact]
    public async Task Release_NobodyDecides_TimesOutOnTheDurableTimer_NothingRestored()
    {
        await using var harness = await PlaybookHarness.StartAsync(configure: p => p.PreApprovedActions = ["1.a", "1.b", "1.c", "1.d", "1.e", "1.f"]);
        var contained = await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Approve);
        var writesBefore = harness.Writes().Count;

        var released = await ReleaseAsync(harness, contained, ReleaseSelection.All, new ScriptedApprovalChannel(null));

        Assert.All(released.Steps, s => Assert.Equal(ApprovalOutcome.TimedOut, s.Approval));
        Assert.All(released.Steps, s => Assert.Null(s.Apply));
        Assert.Equal(writesBefore, harness.Writes().Count);
        Assert.Equal(2, harness.Journal.Entries.Count(e => e.Id.StartsWith(released.InstanceId + "/", StringComparison.Ordinal) && e.Outcome == "approval:timed-out"));
    }

    [Fact]
    public async Task Release_AccountReenabledSinceTheContainment_IsNotOverwritten_PlanShowsTheDifference()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var contained = await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Approve);
        var graph = harness.Services.GetRequiredService<GraphServiceClient>();
        await graph.Users[Contoso.Adele].PatchAsync(new User { AccountEnabled = true });
        var writesBefore = harness.Writes().Count;

        var released = await ReleaseAsync(harness, contained, new ReleaseSelection(false, [new ReleaseItem(ActionId.Parse("1.c"))]), new ScriptedApprovalChannel(ApprovalVerdict.Approve));

        var step = Assert.Single(released.Steps);
        Assert.Equal(PlanStatus.NothingToDo, step.Plan);
        Assert.Null(step.Approval);
        Assert.Equal(writesBefore, harness.Writes().Count);
        var plan = harness.Journal.Entries.Single(e => e.Id == $"{released.InstanceId}/01/plan");
        Assert.Contains("enabled again since the containment", plan.Detail, StringComparison.Ordinal);
        Assert.Contains("accountEnabled=true", plan.Data!.Value.GetProperty("evidence").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_LocationExtendedSinceTheContainment_RemovesOnlyThisIncidentsAddressesAndKeepsThePolicy()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var contained = await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Approve);
        var graph = harness.Services.GetRequiredService<GraphServiceClient>();
        var location = (await graph.Identity.ConditionalAccess.NamedLocations.GetAsync())!.Value!.OfType<IpNamedLocation>().Single(l => l.DisplayName == IpLocationName);
        await graph.Identity.ConditionalAccess.NamedLocations[location.Id].PatchAsync(new IpNamedLocation
        {
            OdataType = "#microsoft.graph.ipNamedLocation",
            IpRanges = [.. location.IpRanges!, new IPv4CidrRange { OdataType = "#microsoft.graph.iPv4CidrRange", CidrAddress = "193.42.33.7/32" }],
        });

        var released = await ReleaseAsync(harness, contained, new ReleaseSelection(false, [new ReleaseItem(ActionId.Parse("1.e"))]), new ScriptedApprovalChannel(ApprovalVerdict.Approve));

        Assert.Equal(ApplyOutcome.Applied, Assert.Single(released.Steps).Apply);
        var ranges = harness.Tenant.State.Read(m => m.NamedLocations.Single(l => l["displayName"]!.GetValue<string>() == IpLocationName)["ipRanges"]!.AsArray()
            .Select(r => r!["cidrAddress"]!.GetValue<string>()).ToList());
        Assert.Equal(["193.42.33.7/32"], ranges);
        Assert.Contains(harness.Tenant.State.Read(m => m.ConditionalAccessPolicies.Select(p => p["displayName"]!.GetValue<string>()).ToList()), n => n == PolicyName);
        Assert.Contains("193.42.33.7/32", harness.Journal.Entries.Single(e => e.Id == $"{released.InstanceId}/01/plan").Data!.Value.GetProperty("evidence").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_PolicyEnforcedSinceTheContainment_IsNotDeleted_NorItsLocationEmptied()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var contained = await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Approve);
        var graph = harness.Services.GetRequiredService<GraphServiceClient>();
        var policy = (await graph.Identity.ConditionalAccess.Policies.GetAsync())!.Value!.Single(p => p.DisplayName == PolicyName);
        await graph.Identity.ConditionalAccess.Policies[policy.Id].PatchAsync(new ConditionalAccessPolicy { State = ConditionalAccessPolicyState.Enabled });
        var writesBefore = harness.Writes().Count;

        var released = await ReleaseAsync(harness, contained, new ReleaseSelection(false, [new ReleaseItem(ActionId.Parse("1.e"))]), new ScriptedApprovalChannel(ApprovalVerdict.Approve));

        var step = Assert.Single(released.Steps);
        Assert.Equal(PlanStatus.NothingToDo, step.Plan);
        Assert.Contains(step.Warnings!, w => w.Contains("changed since the containment", StringComparison.Ordinal));
        Assert.Equal(writesBefore, harness.Writes().Count);
    }

    [Fact]
    public async Task Release_AccountHeldByAnotherOpenContainment_IsRefused_NeverReenabled()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var contained = await harness.RunAsync(PlaybookHarness.Request(incidentId: "INC-TEST-1"), ApprovalVerdict.Approve);
        await harness.RunAsync(PlaybookHarness.Request(incidentId: "INC-TEST-2"), ApprovalVerdict.Approve);
        var writesBefore = harness.Writes().Count;

        var released = await ReleaseAsync(harness, contained, ReleaseSelection.All, new ScriptedApprovalChannel(ApprovalVerdict.Approve), openIncidents: ["INC-TEST-2"]);

        Assert.Equal(PlanStatus.Refused, released.Steps.Single(s => s.Action.Value == "1.c").Plan);
        Assert.False(harness.Tenant.State.Read(m => m.FindUser(Contoso.Adele)!.AccountEnabled));
        Assert.DoesNotContain(harness.Writes().Skip(writesBefore), w => w.PathAndQuery.Contains("/users/", StringComparison.Ordinal));
        Assert.Contains("INC-TEST-2", harness.Journal.Entries.Single(e => e.Id == $"{released.InstanceId}/01/plan").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_PlanMode_ProposesWithoutAskingOrChanging()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var contained = await harness.RunAsync(PlaybookHarness.Request(), ApprovalVerdict.Approve);
        var writesBefore = harness.Writes().Count;
        var approvals = new ScriptedApprovalChannel(ApprovalVerdict.Approve);

        var released = await ReleaseAsync(harness, contained, ReleaseSelection.All, approvals, mode: ContainmentMode.Plan);

        Assert.Equal(ContainmentPhase.Planned, released.Phase);
        Assert.All(released.Steps, s => Assert.Equal(PlanStatus.ChangeRequired, s.Plan));
        Assert.Empty(approvals.Asked);
        Assert.Equal(writesBefore, harness.Writes().Count);
    }

    private static async Task<ReleaseReport> ReleaseAsync(PlaybookHarness harness, ContainmentReport contained, ReleaseSelection selection, ScriptedApprovalChannel approvals,
        IReadOnlyList<string>? openIncidents = null, ContainmentMode mode = ContainmentMode.Contain)
    {
        await using var engine = await harness.StartEngineAsync(approvals);
        return await engine.RunReleaseAsync(new ReleaseRequest(contained.IncidentId, contained.InstanceId, selection, "false positive", "tester@contoso.onmicrosoft.com", mode)
        {
            OpenIncidents = openIncidents ?? [],
        });
    }
}
