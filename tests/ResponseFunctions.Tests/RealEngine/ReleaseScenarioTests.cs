using System.Net;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using ResponseFunctions.Intake;
using ResponseFunctions.Playbook.Intake;
using ResponseFunctions.Playbook.Intake.Sentinel;
using ResponseFunctions.Playbook.Intake.Triage;
using ResponseFunctions.Tests.TestDoubles;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Release;

namespace ResponseFunctions.Tests.RealEngine;

/// <summary>
/// A release of a Case 1 containment in the real Durable Task engine, through the host's own functions: started by
/// POST /api/containments/{id}/release, followed by GET /api/containments/{releaseId}, decided on the approval page.
/// The containment itself is pre-approved by policy so that only the release waits for people.
/// </summary>
public sealed class ReleaseScenarioTests
{
    private const string AllReversible = """{"steps":"all-reversible","reason":"False positive: Adele was travelling."}""";

    private static void PreApproveContainment(Playbook.Policy.ContainmentPolicy policy) => policy.PreApprovedActions = ["1.a", "1.b", "1.c", "1.d", "1.e", "1.f"];

    [Fact]
    public async Task Release_ApprovedOnThePage_ReenablesTheAccountAndUnblocksTheIncidentLocations()
    {
        await using var host = await EngineHost.StartAsync(PreApproveContainment);
        var containment = await ContainAsync(host);

        var (status, body) = await host.PostReleaseAsync(containment, AllReversible);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var releaseId = body.GetProperty("id").GetString()!;
        Assert.Equal(ReleaseIds.For("INC-ENGINE-1", ReleaseSelection.All), releaseId);
        var pending = await host.WaitForPendingAsync(releaseId, 2);
        var page = await host.DecideOnPageAsync(releaseId, pending, Approver.Alice, "approve");
        var report = await host.WaitForReleaseAsync(releaseId);

        Assert.Contains("Release", page, StringComparison.Ordinal);
        Assert.All(report.Steps, s => Assert.Equal(VerifyOutcome.Verified, s.Verify));
        Assert.All(report.Steps, s => Assert.Equal(Approver.Alice.Upn, s.DecidedBy));
        Assert.True(host.Tenant.State.Read(m => m.FindUser(EngineHost.Adele)!.AccountEnabled));
        Assert.DoesNotContain(host.Tenant.State.Read(m => m.ConditionalAccessPolicies.Select(p => p["displayName"]!.GetValue<string>()).ToList()),
            n => n.StartsWith("ResponseFunctions", StringComparison.Ordinal));
        var journal = await host.Journal.ReadAsync("INC-ENGINE-1", CancellationToken.None);
        Assert.Equal([$"{containment}/03/apply", $"{containment}/05/apply"], journal
            .Where(e => e.Id.StartsWith(releaseId + "/", StringComparison.Ordinal) && e.Outcome == "apply:applied")
            .Select(e => e.Data!.Value.GetProperty("originalEntryId").GetString()));
        Assert.Equal(ReleaseEvents.Completed, journal[^1].Action);
    }

    [Fact]
    public async Task Release_RejectedOnThePage_ChangesNothing()
    {
        await using var host = await EngineHost.StartAsync(PreApproveContainment);
        var containment = await ContainAsync(host);
        var writes = host.Writes().Count;

        var (_, body) = await host.PostReleaseAsync(containment, AllReversible);
        var releaseId = body.GetProperty("id").GetString()!;
        await host.DecideOnPageAsync(releaseId, await host.WaitForPendingAsync(releaseId, 2), Approver.Alice, "reject");
        var report = await host.WaitForReleaseAsync(releaseId);

        Assert.All(report.Steps, s => Assert.Equal(ApprovalOutcome.Rejected, s.Approval));
        Assert.Equal(writes, host.Writes().Count);
        Assert.False(host.Tenant.State.Read(m => m.FindUser(EngineHost.Adele)!.AccountEnabled));
    }

    [Fact]
    public async Task Release_NobodyDecides_TimesOutOnTheDurableTimerAndRestoresNothing()
    {
        await using var host = await EngineHost.StartAsync(p =>
        {
            PreApproveContainment(p);
            p.ApprovalTimeout = TimeSpan.FromSeconds(2);
        });
        var containment = await ContainAsync(host);
        var writes = host.Writes().Count;

        var (_, body) = await host.PostReleaseAsync(containment, AllReversible);
        var report = await host.WaitForReleaseAsync(body.GetProperty("id").GetString()!);

        Assert.All(report.Steps, s => Assert.Equal(ApprovalOutcome.TimedOut, s.Approval));
        Assert.Equal(writes, host.Writes().Count);
        Assert.Equal(2, (await host.JournalOutcomesAsync("INC-ENGINE-1")).Count(e => e.EndsWith(" approval:timed-out", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("""{"steps":"everything","reason":"x"}""", "steps")]
    [InlineData("""{"steps":["9.z"],"reason":"x"}""", "steps[0]")]
    [InlineData("""{"steps":"all-reversible"}""", "reason")]
    [InlineData("""{"steps":"all-reversible","reason":"x","approver":"me"}""", "approver")]
    [InlineData("""{"steps":"all-reversible","reason":"x","reason":"y"}""", "$")]
    [InlineData("""{"steps":[{"action":"5.a"}],"reason":"x"}""", "steps[0]")]
    public async Task StartRelease_BadInput_Returns400NamingTheFieldAndStartsNothing(string body, string field)
    {
        await using var host = await EngineHost.StartAsync(PreApproveContainment);
        var containment = await ContainAsync(host);

        var (status, problem) = await host.PostReleaseAsync(containment, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Empty(await ReleasesAsync(host));
    }

    [Fact]
    public async Task StartRelease_UnknownContainment_Returns404()
    {
        await using var host = await EngineHost.StartAsync(PreApproveContainment);

        var (status, _) = await host.PostReleaseAsync("containment-inc-nope", AllReversible);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Empty(await ReleasesAsync(host));
    }

    [Fact]
    public async Task StartRelease_ContainmentStillRunning_Returns409AndStartsNothing()
    {
        await using var host = await EngineHost.StartAsync();
        var containment = await host.StartContainmentAsync();
        await host.WaitForPendingAsync(containment, 6);

        var (status, _) = await host.PostReleaseAsync(containment, AllReversible);

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Empty(await ReleasesAsync(host));
    }

    [Fact]
    public async Task StartRelease_ReleaseAlreadyRunning_Returns409AndStartsNoSecond()
    {
        await using var host = await EngineHost.StartAsync(PreApproveContainment);
        var containment = await ContainAsync(host);
        var (_, first) = await host.PostReleaseAsync(containment, AllReversible);
        await host.WaitForPendingAsync(first.GetProperty("id").GetString()!, 2);

        var (status, _) = await host.PostReleaseAsync(containment, """{"steps":["1.c"],"reason":"only the account"}""");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Single(await ReleasesAsync(host));
    }

    [Fact]
    public async Task SentinelIntake_IncidentClosedAsFalsePositive_ProposesTheReleaseInPlanModeAndChangesNothing()
    {
        await using var host = await EngineHost.StartAsync(PreApproveContainment);
        var closed = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "samples", "sentinel", "incident-atypical-travel.json")))!;
        closed["objectEventType"] = "Update";
        closed["eventUniqueId"] = "9d2e7f41-0000-4000-8000-00000000c105";
        closed["object"]!["properties"]!["status"] = "Closed";
        closed["object"]!["properties"]!["classification"] = "FalsePositive";
        var incidentId = SentinelTriage.IncidentIdFor(SentinelPayloadParser.Parse(closed.ToJsonString()));
        await ContainAsync(host, incidentId);
        var writes = host.Writes().Count;
        var intake = new SentinelIntake(new IntakeDispatcher(host.Journal, TimeProvider.System, NullLogger<IntakeDispatcher>.Instance), TriageTable.Default);

        var response = await intake.Run(TestHttpRequest.Post("https://rf.example.net/api/intake/sentinel", closed.ToJsonString()), host.Client, TestFunctionContext.Create());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = response.Json();
        Assert.Equal("proposed", body.GetProperty("releaseProposal").GetString());
        var proposal = await host.WaitForReleaseAsync(body.GetProperty("id").GetString()!);
        Assert.Equal(Playbook.Requests.ContainmentMode.Plan, proposal.Mode);
        Assert.Equal(Playbook.Orchestration.ContainmentPhase.Planned, proposal.Phase);
        Assert.All(proposal.Steps, s => Assert.Equal(PlanStatus.ChangeRequired, s.Plan));
        Assert.All(proposal.Steps, s => Assert.Null(s.Approval));
        Assert.Equal(writes, host.Writes().Count);
        Assert.False(host.Tenant.State.Read(m => m.FindUser(EngineHost.Adele)!.AccountEnabled));
        Assert.Contains(await host.JournalOutcomesAsync(incidentId), e => e == "release.started release-proposed");

        var again = await intake.Run(TestHttpRequest.Post("https://rf.example.net/api/intake/sentinel", closed.ToJsonString()), host.Client, TestFunctionContext.Create());
        Assert.Equal("alreadyProposed", again.Json().GetProperty("releaseProposal").GetString());
        var (status, _) = await host.PostReleaseAsync(InstanceIdsFor(incidentId), AllReversible);
        Assert.Equal(HttpStatusCode.Accepted, status);
    }

    private static string InstanceIdsFor(string incidentId) => Playbook.Orchestration.InstanceIds.ForIncident(incidentId);

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ResponseFunctions.sln")))
        {
            directory = directory.Parent;
        }

        return directory!.FullName;
    }

    private static async Task<string> ContainAsync(EngineHost host, string incidentId = "INC-ENGINE-1")
    {
        var id = await host.StartContainmentAsync(incidentId);
        await host.WaitForReportAsync(id);
        Assert.False(host.Tenant.State.Read(m => m.FindUser(EngineHost.Adele)!.AccountEnabled));
        return id;
    }

    private static async Task<List<string>> ReleasesAsync(EngineHost host)
    {
        var ids = new List<string>();
        await foreach (var instance in host.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = ReleaseIds.Prefix }))
        {
            ids.Add(instance.InstanceId);
        }

        return ids;
    }
}
