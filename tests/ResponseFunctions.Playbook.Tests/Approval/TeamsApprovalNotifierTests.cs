using System.Text.Json.Nodes;
using System.Web;
using Microsoft.Extensions.Logging.Abstractions;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Approval.Teams;
using ResponseFunctions.Playbook.Journal;
using ResponseFunctions.Playbook.Policy;
using ResponseFunctions.Playbook.Tests.Support;
using static ResponseFunctions.Playbook.Tests.Approval.ApprovalSamples;
using Tenant = ResponseFunctions.SimulatedTenant.SimulatedTenant;

namespace ResponseFunctions.Playbook.Tests.Approval;

/// <summary>Cards posted to the simulated tenant's Teams Workflows webhook plane.</summary>
public sealed class TeamsApprovalNotifierTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(Now);
    private Tenant _tenant = null!;
    private TeamsApprovalNotifier _notifier = null!;
    private ApprovalTokens _tokens = null!;

    public async Task InitializeAsync()
    {
        _tenant = await Tenant.StartInProcessAsync("compromised-account");
        _tokens = new ApprovalTokens(Options, _clock);
        _notifier = new TeamsApprovalNotifier(
            new HttpClient(_tenant.CreateHandler()),
            Microsoft.Extensions.Options.Options.Create(new TeamsOptions { WebhookUrl = new Uri(_tenant.BaseAddress, "teams/webhooks/soc-approvals") }),
            new ApprovalLinks(_tokens, Options),
            new FixedRoles("Helpdesk Administrator", "Global Administrator (eligible)"),
            Microsoft.Extensions.Options.Options.Create(Contoso.Policy()),
            NullLogger<TeamsApprovalNotifier>.Instance);
    }

    public async Task DisposeAsync() => await _tenant.DisposeAsync();

    [Fact]
    public async Task NotifyAsync_TenantTextWithMarkdownLinksAndFormatting_ShownAsTextNeverAsALink()
    {
        var hostile = "[Approve now](https://evil.example/phish) **URGENT** _x_ `code` <b>html</b>\n- listed";
        var request = Request() with
        {
            Summary = hostile,
            Target = Adele with { Name = hostile },
            Evidence = [new Evidence("App name", hostile)],
            Warnings = [hostile],
        };

        await _notifier.NotifyAsync(request, CancellationToken.None);

        var card = Assert.Single(_tenant.State.Read(m => m.TeamsMessages.ToList())).Message["attachments"]![0]!["content"]!;
        var texts = Texts(card).Concat(Facts(card).SelectMany(f => new[] { f.Key, f.Value })).ToList();
        Assert.Contains(texts, t => t.Contains("Approve now", StringComparison.Ordinal));
        Assert.All(texts, t =>
        {
            Assert.DoesNotContain("](", t, StringComparison.Ordinal);
            Assert.DoesNotContain("**", t, StringComparison.Ordinal);
            Assert.DoesNotContain("https://evil", t, StringComparison.Ordinal);
            Assert.DoesNotContain("<b>", t, StringComparison.Ordinal);
            Assert.DoesNotContain("`", t, StringComparison.Ordinal);
            Assert.DoesNotContain("\n", t, StringComparison.Ordinal);
        });
        Assert.Single(card["actions"]!.AsArray());
        Assert.StartsWith("https://rf.example.net/", (string?)card["actions"]![0]!["url"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_Request_PostsAnAdaptiveCardWithThePlanAndASignedLink()
    {
        var request = Request() with { RequiredApprovals = 2 };

        await _notifier.NotifyAsync(request, CancellationToken.None);

        var message = Assert.Single(_tenant.State.Read(m => m.TeamsMessages.ToList()));
        Assert.Equal("soc-approvals", message.WebhookId);
        Assert.Equal("message", (string?)message.Message["type"]);
        var attachment = message.Message["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)attachment["contentType"]);
        var card = attachment["content"]!;
        Assert.Equal("AdaptiveCard", (string?)card["type"]);
        Assert.True(Version.Parse((string)card["version"]!) <= new Version(1, 5));
        var texts = Texts(card);
        Assert.Contains("• Set accountEnabled=false on adele@contoso.onmicrosoft.com", texts);
        Assert.Contains("⚠ The user keeps access tokens until they expire.", texts);
        var facts = Facts(card);
        Assert.Equal("INC-7 · Severity High", facts["Incident"]);
        Assert.Equal(Adele.Id, facts["Id"]);
        Assert.Equal(Adele.Name, facts["Target"]);
        Assert.Equal("Helpdesk Administrator, Global Administrator (eligible)", facts["Roles"]);
        Assert.Equal("Yes (before-state journaled)", facts["Reversible"]);
        Assert.Equal("2026-03-14 09:30 UTC", facts["Deadline"]);
        Assert.Equal("{{DATE(2026-03-14T09:30:00Z, SHORT)}} {{TIME(2026-03-14T09:30:00Z)}}", facts["Your time"]);
        Assert.StartsWith("2 different people", facts["Approvers"], StringComparison.Ordinal);
        Assert.Equal("185.220.101.4 (TOR) at 2026-03-14 07:12", facts["Risky sign-in"]);
        Assert.DoesNotContain("FactSet", card.ToJsonString(), StringComparison.Ordinal);
        var action = Assert.Single(card["actions"]!.AsArray())!;
        Assert.Equal("Action.OpenUrl", (string?)action["type"]);
        var url = new Uri((string)action["url"]!);
        Assert.Equal($"/api/containments/{Instance}/approve", url.AbsolutePath);
        var check = _tokens.Validate(HttpUtility.ParseQueryString(url.Query)["token"], Instance, ["03-1c"]);
        Assert.Equal(TokenStatus.Valid, check.Status);
        Assert.DoesNotContain("Action.Submit", card.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Action.Execute", card.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyFollowUpAsync_DecisionEntry_PostsTheOutcome()
    {
        var entry = new JournalEntry($"{Instance}/03/decision", Now, "INC-7", "bob@contoso.com", "1.c", Adele.ToString(), "approval:rejected", "bob rejected.");

        await _notifier.NotifyFollowUpAsync(ApprovalFollowUps.FromDecisionEntry(entry)!, CancellationToken.None);

        var card = Assert.Single(_tenant.State.Read(m => m.TeamsMessages.ToList())).Message["attachments"]![0]!["content"]!;
        var texts = Texts(card);
        Assert.Equal("✕ Rejected", texts[0]);
        Assert.Contains("1.c Disable the account", texts);
        Assert.Contains("Nothing left to decide on this step.", texts);
        Assert.Equal("bob@contoso.com", Facts(card)["By"]);
        Assert.Empty(card["actions"]!.AsArray());
    }

    [Fact]
    public async Task NotifyFollowUpAsync_AwaitingSecondApprover_CarriesAFreshLinkForTheSameRequest()
    {
        var entry = new JournalEntry($"{Instance}/05/decision-1", Now, "INC-7", "bob@contoso.com", "1.e", "tenant", ApprovalFollowUps.AwaitingSecondApprover, "First of 2.");

        await _notifier.NotifyFollowUpAsync(ApprovalFollowUps.FromDecisionEntry(entry)!, CancellationToken.None);

        var card = Assert.Single(_tenant.State.Read(m => m.TeamsMessages.ToList())).Message["attachments"]![0]!["content"]!;
        var url = new Uri((string)card["actions"]![0]!["url"]!);
        Assert.Equal(TokenStatus.Valid, _tokens.Validate(HttpUtility.ParseQueryString(url.Query)["token"], Instance, ["05-1e"]).Status);
    }

    [Fact]
    public async Task NotifyAsync_WebhookDown_DoesNotThrow()
    {
        _tenant.Faults.Add(new SimulatedTenant.FaultRule("POST", "/teams/webhooks/", StatusCode: 503, Times: 5));

        var delivery = await _notifier.NotifyAsync(Request(), CancellationToken.None);

        Assert.Empty(_tenant.State.Read(m => m.TeamsMessages.ToList()));
        Assert.Equal("card:not-sent", delivery.Outcome);
    }

    [Fact]
    public async Task NotifyAsync_WebhookAnswers202ButTheFlowFails_SaysSentNeverSeen()
    {
        // The Workflows trigger answers 202 and posts inside the flow; an oversized message fails there (run history only).
        var huge = Request() with { Summary = new string('x', 40_000) };
        var webhook = new Uri(_tenant.BaseAddress, "teams/webhooks/soc-approvals");
        using var http = new HttpClient(_tenant.CreateHandler());
        using var raw = await http.PostAsync(webhook, new StringContent(ApprovalCards.Request(huge, [], webhook).ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

        var delivery = await _notifier.NotifyAsync(Request(), CancellationToken.None);

        Assert.Equal(System.Net.HttpStatusCode.Accepted, raw.StatusCode);
        Assert.Single(_tenant.State.Read(m => m.TeamsFlowFailures.ToList()));
        Assert.Equal(CardDeliveryStatus.Sent, delivery.Status);
        Assert.Equal("card:sent", delivery.Outcome);
        Assert.Contains("nobody is known to have seen it", delivery.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestApproval_CardSent_JournalsSentNotSeenWithTheWayIn()
    {
        await using var harness = await PlaybookHarness.StartAsync();
        var activities = Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<Playbook.Orchestration.ContainmentActivities>(harness.Services, (IApprovalNotifier)_notifier);

        await activities.RequestApprovalAsync(Request(), CancellationToken.None);

        var card = Assert.Single(harness.Journal.Entries, e => e.Id.EndsWith("/approval-card", StringComparison.Ordinal));
        Assert.Equal("card:sent", card.Outcome);
        Assert.DoesNotContain("seen by", card.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("delivered", card.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"GET /api/containments/{Instance}", card.Detail, StringComparison.Ordinal);
    }

    private static List<string> Texts(JsonNode card) =>
        [.. card["body"]!.AsArray().Where(b => (string?)b!["type"] == "TextBlock").Select(b => (string)b!["text"]!)];

    /// <summary>Label over value, each a TextBlock of its own in a Container: what a 330 px column shows without cutting.</summary>
    private static Dictionary<string, string> Facts(JsonNode card) =>
        card["body"]!.AsArray().Where(b => (string?)b!["type"] == "Container")
            .Select(b => b!["items"]!.AsArray())
            .ToDictionary(items => (string)items[0]!["text"]!, items => (string)items[1]!["text"]!);

    private sealed class FixedRoles(params string[] roles) : ITargetRoles
    {
        public Task<IReadOnlyList<string>> RolesOfAsync(ActionTarget target, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(roles);
    }
}
