using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Intake;
using ResponseFunctions.Playbook.Intake.Reporting;
using ResponseFunctions.Playbook.Intake.Sentinel;
using ResponseFunctions.Playbook.Intake.Triage;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Intake;

/// <summary>A recorded-shape Sentinel incident through intake and the real Durable Task engine (in-process), on the simulated tenant (Graph and ARM over HTTP).</summary>
public sealed class SentinelIntakeFlowTests
{
    private const string Scenario = "compromised-account-sentinel";

    private static async Task<IntakeOutcome> DeliverAsync(IntakeHarness harness, string sample)
    {
        var incident = SentinelPayloadParser.Parse(RepoFile.Read($"samples/sentinel/{sample}"));
        return await harness.Dispatcher.DispatchAsync(
            SentinelTriage.Triage(incident, TriageTable.Default), SentinelTriage.IncidentIdFor(incident), IncidentSource.Sentinel, incident.DeliveryId!,
            harness.Starter, CancellationToken.None);
    }

    [Fact]
    public async Task Deliver_AtypicalTravelIncident_RunsCase1OnTheTenantWithTriageAsFirstJournalEntry()
    {
        await using var harness = await IntakeHarness.StartAsync(Scenario);

        var outcome = await DeliverAsync(harness, "incident-atypical-travel.json");

        Assert.Equal(IntakeStatus.Started, outcome.Status);
        var report = Assert.Single(harness.Starter.Reports);
        Assert.All(report.Steps, s => Assert.Equal(CaseId.CompromisedAccount, ActionCatalog.Get(s.Action).Case));
        Assert.Contains(report.Steps, s => s.Action == ActionId.Parse("1.c") && s.Apply == ApplyOutcome.Applied);
        Assert.False(harness.Tenant.State.Read(m => m.FindUser(Contoso.Adele)!.AccountEnabled));
        var entries = harness.Journal.Entries.Where(e => e.IncidentId == outcome.IncidentId).ToList();
        Assert.Equal(TriageJournal.Triaged, entries[0].Action);
        Assert.Equal(JournalEvents.Started, entries[1].Action);
        Assert.Contains("svc-sync", entries[0].Detail, StringComparison.Ordinal);
        Assert.Equal("Microsoft Sentinel", entries[0].Actor);
    }

    [Fact]
    public async Task Deliver_AtypicalTravelIncident_CommentsPlanDecisionsAndResultsOnTheIncidentOnce()
    {
        await using var harness = await IntakeHarness.StartAsync(Scenario);

        var outcome = await DeliverAsync(harness, "incident-atypical-travel.json");

        var comments = harness.Comments();
        Assert.Equal(3, comments.Count);
        Assert.All(comments, c => Assert.EndsWith("/Incidents/7e1f0c2a-5b3d-4e8f-9a6c-2d4b1f3e5a70", c.IncidentId));
        Assert.All(comments, c => Assert.Equal(1, c.Writes));
        IncidentPhase[] phases = [IncidentPhase.Plan, IncidentPhase.Decisions, IncidentPhase.Results];
        Assert.Equal(phases.Select(p => IncidentComments.CommentId(outcome.InstanceId!, p).ToString()), comments.Select(c => c.Name));
        Assert.Contains("Access tokens issued before the revocation", comments[2].Message, StringComparison.Ordinal);
        Assert.Equal(3, harness.Journal.Entries.Count(e => e.Action == "incident.comment" && e.Outcome == "posted"));
        Assert.Equal(3, harness.Tenant.Requests.Snapshot().Count(r => r.Method == "PUT" && r.PathAndQuery.Contains("/comments/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Deliver_SamePayloadTwice_StartsOneContainmentAndJournalsTheDuplicate()
    {
        await using var harness = await IntakeHarness.StartAsync(Scenario);

        var first = await DeliverAsync(harness, "incident-atypical-travel.json");
        var writesAfterFirst = harness.Tenant.Requests.Snapshot().Count;
        var second = await DeliverAsync(harness, "incident-atypical-travel.json");

        Assert.Equal(IntakeStatus.Started, first.Status);
        Assert.Equal(IntakeStatus.Duplicate, second.Status);
        Assert.Equal(first.InstanceId, second.InstanceId);
        Assert.Single(harness.Starter.Reports);
        Assert.Equal(writesAfterFirst, harness.Tenant.Requests.Snapshot().Count);
        var duplicate = Assert.Single(harness.Journal.Entries, e => e.Action == TriageJournal.Duplicate);
        Assert.Equal("no-new-target", duplicate.Outcome);
    }

    [Fact]
    public async Task Deliver_UpdateWithANewAccount_StartsALinkedFollowUpForTheNewTargetsOnly()
    {
        await using var harness = await IntakeHarness.StartAsync(Scenario);

        var first = await DeliverAsync(harness, "incident-atypical-travel.json");
        var update = await DeliverAsync(harness, "incident-atypical-travel-update.json");
        var again = await DeliverAsync(harness, "incident-atypical-travel-update.json");

        Assert.Equal(IntakeStatus.Duplicate, update.Status);
        Assert.Equal([$"user {Contoso.Megan}", "ip 185.220.101.80/32"], update.NewTargets);
        Assert.Equal($"{first.InstanceId}-fu-", update.FollowUpInstanceId![..(first.InstanceId!.Length + 4)]);
        Assert.Equal(update.FollowUpInstanceId, again.FollowUpInstanceId);
        Assert.Equal(2, harness.Starter.Reports.Count);
        var followUp = harness.Starter.Reports[1];
        Assert.All(followUp.Steps.Where(s => s.Action.CaseNumber == 1 && s.Target.Kind == ResponseFunctions.Playbook.Catalog.TargetKind.User), s => Assert.Equal(Contoso.Megan, s.Target.Id));
        var duplicate = harness.Journal.Entries.First(e => e.Action == TriageJournal.Duplicate);
        Assert.Equal("new-targets", duplicate.Outcome);
        Assert.Contains(update.FollowUpInstanceId, duplicate.Detail, StringComparison.Ordinal);
        Assert.Contains(harness.Journal.Entries, e => e.Action == TriageJournal.FollowUpStarted && e.Target == update.FollowUpInstanceId && e.IncidentId == update.IncidentId);
        Assert.Contains(harness.Journal.Entries, e => e.Action == TriageJournal.FollowUpOf && e.Target == first.InstanceId);
    }

    [Fact]
    public async Task Report_CommentOnUnknownIncident_IsJournaledAsFailedAndTheContainmentCompletes()
    {
        await using var harness = await IntakeHarness.StartAsync("compromised-account");

        var outcome = await DeliverAsync(harness, "incident-atypical-travel.json");

        Assert.Equal(IntakeStatus.Started, outcome.Status);
        Assert.Empty(harness.Comments());
        Assert.Equal(3, harness.Journal.Entries.Count(e => e.Action == "incident.comment" && e.Outcome == "failed"));
        Assert.Contains(harness.Journal.Entries, e => e.Action == JournalEvents.Completed);
    }

    [Fact]
    public async Task Deliver_DefenderForCloudVmIncident_TriagedToCase3_VmIsolated_CredentialsInventoried()
    {
        await using var harness = await IntakeHarness.StartAsync("cryptominer-vm");

        var outcome = await DeliverAsync(harness, "incident-cryptominer-vm.json");

        Assert.Equal(IntakeStatus.Started, outcome.Status);
        var report = Assert.Single(harness.Starter.Reports);
        Assert.Equal(["3.a", "3.b"], report.Steps.Select(s => s.Action.Value));
        Assert.Equal(ApplyOutcome.Applied, report.Steps[0].Apply);
        Assert.Equal(VerifyOutcome.Verified, report.Steps[0].Verify);

        // Contoso's policy leaves the VM password to a person: 3.b inventories and hands over manual tasks.
        Assert.Equal(PlanStatus.NothingToDo, report.Steps[1].Plan);
        Assert.Contains(report.Steps[1].Warnings!, w => w.StartsWith("Manual task: ", StringComparison.Ordinal) && w.Contains("azureadmin", StringComparison.Ordinal));
        var nsg = harness.Tenant.State.Read(m => m.Azure.Find(Cases.CompromisedAzureResource.AzureScenario.Nic1)!["properties"]!["networkSecurityGroup"]!["id"]!.GetValue<string>());
        Assert.Equal(Cases.CompromisedAzureResource.AzureScenario.IsolationNsg, nsg);
        Assert.Contains(harness.Journal.Entries, e => e.Action == TriageJournal.Triaged && e.Detail.Contains("Defender for Cloud", StringComparison.Ordinal));
        Assert.Contains(harness.Journal.Entries, e => e.Action == "3.a" && e.Outcome == "alerts:none-since-isolation");
        Assert.Equal(3, harness.Comments().Count);
    }
}
