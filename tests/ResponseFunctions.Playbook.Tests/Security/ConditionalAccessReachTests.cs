using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Orchestration;
using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.Playbook.Requests;
using ResponseFunctions.Playbook.Tests.Approval;
using ResponseFunctions.Playbook.Tests.Support;

namespace ResponseFunctions.Playbook.Tests.Security;

/// <summary>1.e owns its policy, and its reach is bounded: special-purpose ranges, caps, countries, never-block ranges.</summary>
public sealed class ConditionalAccessReachTests
{
    private const string PolicyName = "ResponseFunctions - block attacker locations";

    [Fact]
    public async Task OwnPolicy_AttackerExcludedTheCompromisedUser_PlanShowsItApplyRemovesItVerifyChecksExactly()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var first = await harness.StepAsync("1.e");
        await harness.Activities.ApplyStepAsync(new StepWork(first, await harness.Activities.PlanStepAsync(first, default)), default);
        Tamper(harness);

        var second = await harness.StepAsync("1.e", PlaybookHarness.Request(incidentId: "INC-TEST-2"));
        var plan = await harness.Activities.PlanStepAsync(second, default);
        var verifyBefore = await harness.Action("1.e").VerifyAsync(second, plan, default);
        await harness.Activities.ApplyStepAsync(new StepWork(second, plan), default);
        var verify = await harness.Activities.VerifyStepAsync(new StepWork(second, plan), default);

        Assert.Equal(VerifyOutcome.Mismatch, verifyBefore.Outcome);
        Assert.Contains(plan.Evidence, e => e.Label == "Current exclusions of the block policy" && e.Value.Contains($"user {Contoso.Adele}", StringComparison.Ordinal));
        Assert.Contains(plan.Warnings, w => w.Contains("not protected principals", StringComparison.Ordinal));
        var users = Policy(harness)["conditions"]!["users"]!;
        Assert.Equal([Contoso.BreakGlass1, Contoso.BreakGlass2], users["excludeUsers"]!.AsArray().Select(n => n!.GetValue<string>()).Order());
        Assert.Empty(users["excludeGroups"]!.AsArray());
        Assert.Equal(VerifyOutcome.Verified, verify.Outcome);
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("100.64.0.1")]
    [InlineData("169.254.1.1")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("240.0.0.1")]
    [InlineData("0.0.0.0/8")]
    [InlineData("::ffff:1.2.3.4")]
    [InlineData("64:ff9b::102:304")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("ff02::1")]
    [InlineData("2002:c000:0204::/48")]
    [InlineData("192.0.0.0/8")]
    [InlineData("192.0.2.10")]
    [InlineData("198.51.100.0/24")]
    [InlineData("203.0.113.45/32")]
    [InlineData("2001:db8:bad::/48")]
    public void Parse_SpecialPurposeRange_RefusedOnTheManualApiAndIntake(string ip)
    {
        Assert.Null(ContainmentRequestParser.NormalizeIp(ip));
        Assert.Null(BlockableRanges.Normalize(ip, out var why));
        Assert.NotNull(why);
    }

    [Fact]
    public void Normalize_HostBitsSet_ClearedSoTheRangeReadsAsWhatItBlocks()
    {
        Assert.Equal("185.0.0.0/8", BlockableRanges.Normalize("185.220.101.4/8", out _));
        Assert.Equal("2a02:c0::/32", BlockableRanges.Normalize("2a02:c0:1:2::5/32", out _));
    }

    [Theory]
    [InlineData("XX", false)]
    [InlineData("EU", false)]
    [InlineData("UK", false)]
    [InlineData("ru", true)]
    [InlineData("GB", true)]
    public void Countries_OnlyAssignedIso3166Alpha2(string code, bool accepted)
    {
        Assert.Equal(accepted, Countries.Normalize(code) is not null);
        Assert.Equal(249, Countries.Count);
    }

    [Fact]
    public async Task Contain_IncidentBlockingAWholeSlash8_NeedsASecondApproverAndOneIsNotEnough()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var request = PlaybookHarness.Request(ips: ["185.0.0.0/8"]);
        var approvals = new QueuedApprovalChannel().On("1.e", (ApprovalVerdict.Approve, "bob@contoso.com"), (null, "nobody"));

        var report = await harness.RunAsync(request, approvals);

        var asked = Assert.Single(approvals.Asked.Where(a => a.Action.Value == "1.e").Select(a => a.RequiredApprovals).Distinct());
        Assert.Equal(2, asked);
        var step = Assert.Single(report.Steps, s => s.Action.Value == "1.e");
        Assert.Null(step.Apply);
        Assert.DoesNotContain(harness.Tenant.Requests.Find(null, "/identity/conditionalAccess"), r => r.Method is "POST" or "PATCH" or "DELETE");
    }

    [Fact]
    public async Task Plan_RangeOfTheApproversEgress_NeverBlocked()
    {
        await using var harness = await PlaybookHarness.StartAsync(configure: p => p.ConditionalAccess.NeverBlock = ["45.155.205.0/24"]);
        var step = await harness.StepAsync("1.e");

        var plan = await harness.Activities.PlanStepAsync(step, default);

        Assert.DoesNotContain(plan.Changes, c => c.Description.Contains("45.155.205.23", StringComparison.Ordinal));
        Assert.Contains(plan.Warnings, w => w.Contains("45.155.205.23/32 is inside the trusted named location \"never-block (policy)\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Contain_CountryInALocationThePolicyMarksTrusted_RefusedAtPlanWithEvidenceAndNeverBlocked()
    {
        await using var harness = await PlaybookHarness.StartAsync(configure: p => p.ConditionalAccess.TrustedLocations = [OfficeCountries]);
        await AddCountryLocationAsync(harness, OfficeCountries, "FR", "DE");
        var step = await harness.StepAsync("1.e", PlaybookHarness.Request(ips: [], countries: ["FR", "RU"]));

        var plan = await harness.Activities.PlanStepAsync(step, default);
        await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        Assert.Contains(plan.Warnings, w => w.Contains($"FR is in the trusted named location \"{OfficeCountries}\": not blocked", StringComparison.Ordinal));
        Assert.Contains(plan.Evidence, e => e.Label == "Trusted country locations (never blocked)" && e.Value == $"\"{OfficeCountries}\": FR, DE");
        Assert.DoesNotContain(plan.Changes, c => c.Description.Contains("FR", StringComparison.Ordinal));
        Assert.Equal(["RU"], BlockedCountries(harness));
    }

    [Fact]
    public async Task Plan_OnlyTrustedCountries_NothingToDoAndNoWrite()
    {
        await using var harness = await PlaybookHarness.StartAsync(configure: p => p.ConditionalAccess.TrustedLocations = [OfficeCountries]);
        await AddCountryLocationAsync(harness, OfficeCountries, "FR");
        harness.Tenant.Requests.Clear();
        var step = await harness.StepAsync("1.e", PlaybookHarness.Request(ips: [], countries: ["fr"]));

        var plan = await harness.Activities.PlanStepAsync(step, default);
        await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        Assert.Equal(PlanStatus.NothingToDo, plan.Status);
        Assert.Empty(harness.Writes());
        Assert.Empty(BlockedCountries(harness));
    }

    [Fact]
    public async Task Plan_TrustedLocationTheTenantDoesNotHave_NoCountryBlocked()
    {
        await using var harness = await PlaybookHarness.StartAsync(configure: p => p.ConditionalAccess.TrustedLocations = ["Renamed offices"]);
        var step = await harness.StepAsync("1.e", PlaybookHarness.Request(ips: [], countries: ["RU"]));

        var plan = await harness.Activities.PlanStepAsync(step, default);

        Assert.Equal(PlanStatus.NothingToDo, plan.Status);
        Assert.Contains(plan.Warnings, w => w.Contains("\"Renamed offices\" (ConditionalAccess.TrustedLocations) are not in the tenant", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Apply_CountryLocationMarkedTrustedAfterThePlan_NotBlocked()
    {
        await using var harness = await PlaybookHarness.StartAsync(configure: p => p.ConditionalAccess.TrustedLocations = [OfficeCountries]);
        await AddCountryLocationAsync(harness, OfficeCountries, "DE");
        var step = await harness.StepAsync("1.e", PlaybookHarness.Request(ips: [], countries: ["FR"]));
        var plan = await harness.Activities.PlanStepAsync(step, default);
        harness.Tenant.State.Mutate(m => m.NamedLocations.Single(l => l["displayName"]!.GetValue<string>() == OfficeCountries)["countriesAndRegions"]!.AsArray().Add("FR"));

        var result = await harness.Activities.ApplyStepAsync(new StepWork(step, plan), default);

        Assert.NotEqual(ApplyOutcome.Applied, result.Outcome);
        Assert.Empty(BlockedCountries(harness));
        Assert.False(harness.Tenant.State.Read(m => m.ConditionalAccessPolicies.Any(p => p["displayName"]!.GetValue<string>() == PolicyName)));
    }

    private const string OfficeCountries = "Contoso offices - countries";

    private static Task AddCountryLocationAsync(PlaybookHarness harness, string name, params string[] countries) =>
        harness.Services.GetRequiredService<Microsoft.Graph.GraphServiceClient>().Identity.ConditionalAccess.NamedLocations.PostAsync(new Microsoft.Graph.Models.CountryNamedLocation
        {
            OdataType = "#microsoft.graph.countryNamedLocation",
            DisplayName = name,
            CountriesAndRegions = [.. countries],
            IncludeUnknownCountriesAndRegions = false,
            CountryLookupMethod = Microsoft.Graph.Models.CountryLookupMethodType.ClientIpAddress,
        });

    private static List<string> BlockedCountries(PlaybookHarness harness) => harness.Tenant.State.Read(m =>
        m.NamedLocations.SingleOrDefault(l => l["displayName"]!.GetValue<string>() == "ResponseFunctions - blocked countries")?["countriesAndRegions"]?.AsArray()
            .Select(n => n!.GetValue<string>()).ToList() ?? []);

    /// <summary>What someone with Conditional Access rights could do: exclude the compromised user (and a group) from the block.</summary>
    private static void Tamper(PlaybookHarness harness) => harness.Tenant.State.Mutate(m =>
    {
        var users = m.ConditionalAccessPolicies.Single(p => p["displayName"]!.GetValue<string>() == PolicyName)["conditions"]!["users"]!;
        users["excludeUsers"]!.AsArray().Add(Contoso.Adele);
        users["excludeGroups"] = new JsonArray(Contoso.SecOpsGroup);
    });

    private static JsonObject Policy(PlaybookHarness harness) =>
        harness.Tenant.State.Read(m => (JsonObject)m.ConditionalAccessPolicies.Single(p => p["displayName"]!.GetValue<string>() == PolicyName).DeepClone());
}
