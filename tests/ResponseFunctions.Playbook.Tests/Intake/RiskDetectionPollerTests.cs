using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Intake;
using ResponseFunctions.Playbook.Intake.IdentityProtection;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Intake;

/// <summary>Identity Protection polling against the "compromised-account-risky-users" scenario (riskDetections paged two by two).</summary>
public sealed class RiskDetectionPollerTests
{
    private const string Scenario = "compromised-account-risky-users";

    [Fact]
    public async Task Poll_HighRiskDetection_StartsCase1OnceForTheUser()
    {
        await using var harness = await IntakeHarness.StartAsync(Scenario);

        var result = await harness.NewPoller().PollAsync(harness.Starter, CancellationToken.None);

        var adele = result.Outcomes.Where(o => o.Triage.Targets.Users.Contains(Contoso.Adele)).ToList();
        Assert.Equal([IntakeStatus.Started, IntakeStatus.Duplicate], adele.Select(o => o.Status));
        var report = Assert.Single(harness.Starter.Reports, r => r.Steps.Any(s => s.Target.Id == Contoso.Adele));
        Assert.All(report.Steps, s => Assert.Equal(CaseId.CompromisedAccount, ActionCatalog.Get(s.Action).Case));
        Assert.Equal("risk-5c1a9e2b0d4f4b7e8a3c1e2f3a4b5c01-202611200000", adele[0].IncidentId);
        Assert.False(harness.Tenant.State.Read(m => m.FindUser(Contoso.Adele)!.AccountEnabled));
    }

    [Fact]
    public async Task Poll_SecondPoll_StartsNothingAndReadsFromTheWatermark()
    {
        await using var harness = await IntakeHarness.StartAsync(Scenario);
        await harness.NewPoller().PollAsync(harness.Starter, CancellationToken.None);
        var started = harness.Starter.Reports.Count;

        // A new poller, as after a host restart: only the watermark file carries over.
        var second = await harness.NewPoller().PollAsync(harness.Starter, CancellationToken.None);

        Assert.Empty(second.Outcomes);
        Assert.Equal(started, harness.Starter.Reports.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 7, 10, 0, TimeSpan.Zero), second.Watermark.At);
        Assert.Contains(harness.Tenant.Requests.Snapshot(), r => r.PathAndQuery.Contains("detectedDateTime ge 2026-11-20T07:10:00", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Poll_MediumBelowThreshold_IsIgnored()
    {
        await using var harness = await IntakeHarness.StartAsync(Scenario);

        var result = await harness.NewPoller().PollAsync(harness.Starter, CancellationToken.None);

        var megan = Assert.Single(result.Outcomes, o => o.Triage.Source.Reference == "c0ffee00-0000-4000-8000-00000000d002");
        Assert.Equal(IntakeStatus.NothingToContain, megan.Status);
        Assert.Contains("below the threshold high", megan.Triage.Reasons[0], StringComparison.Ordinal);
        Assert.True(harness.Tenant.State.Read(m => m.FindUser(Contoso.Megan)!.AccountEnabled));
    }

    [Fact]
    public async Task Poll_MediumWithMediumThreshold_StartsCase1()
    {
        await using var harness = await IntakeHarness.StartAsync(Scenario, o => o.MinimumRiskLevel = "medium");

        var result = await harness.NewPoller().PollAsync(harness.Starter, CancellationToken.None);

        Assert.Equal(IntakeStatus.Started, Assert.Single(result.Outcomes, o => o.Triage.Source.Reference == "c0ffee00-0000-4000-8000-00000000d002").Status);
    }

    [Fact]
    public async Task Poll_DismissedDetection_IsIgnored()
    {
        await using var harness = await IntakeHarness.StartAsync(Scenario);

        var result = await harness.NewPoller().PollAsync(harness.Starter, CancellationToken.None);

        var alex = Assert.Single(result.Outcomes, o => o.Triage.Source.Reference == "c0ffee00-0000-4000-8000-00000000d003");
        Assert.Equal(IntakeStatus.NothingToContain, alex.Status);
        Assert.Contains("dismissed", alex.Triage.Reasons[0], StringComparison.Ordinal);
        Assert.True(harness.Tenant.State.Read(m => m.FindUser(Contoso.Alex)!.AccountEnabled));
    }

    [Fact]
    public async Task Poll_InboxForwardingDetection_StartsCases1And5()
    {
        await using var harness = await IntakeHarness.StartAsync(Scenario);

        var result = await harness.NewPoller().PollAsync(harness.Starter, CancellationToken.None);

        var diego = Assert.Single(result.Outcomes, o => o.Triage.Source.Reference == "c0ffee00-0000-4000-8000-00000000d004");
        Assert.Equal(IntakeStatus.Started, diego.Status);
        Assert.Equal([CaseId.CompromisedAccount, CaseId.MailDataLeak], diego.Triage.Cases);
    }

    [Fact]
    public async Task Poll_DetectionAddedAtTheWatermarkTime_IsHandledOnceNextPoll()
    {
        await using var harness = await IntakeHarness.StartAsync(Scenario);
        await harness.NewPoller().PollAsync(harness.Starter, CancellationToken.None);
        harness.Tenant.State.Mutate(m => m.RiskDetections.Add(new ResponseFunctions.SimulatedTenant.SimRiskDetection
        {
            Id = "c0ffee00-0000-4000-8000-00000000d0ff", UserId = Contoso.Megan, UserPrincipalName = "megan.bowen@contoso.onmicrosoft.com",
            RiskEventType = "leakedCredentials", RiskLevel = "high", RiskState = "atRisk", Activity = "user",
            DetectedDateTime = new DateTimeOffset(2026, 11, 20, 7, 10, 0, TimeSpan.Zero),
        }));

        var second = await harness.NewPoller().PollAsync(harness.Starter, CancellationToken.None);
        var third = await harness.NewPoller().PollAsync(harness.Starter, CancellationToken.None);

        Assert.Equal("c0ffee00-0000-4000-8000-00000000d0ff", Assert.Single(second.Outcomes).Triage.Source.Reference);
        Assert.Equal(IntakeStatus.Started, second.Outcomes[0].Status);
        Assert.Empty(third.Outcomes);
        Assert.Equal(2, third.Watermark.IdsAtWatermark.Count);
    }
}
