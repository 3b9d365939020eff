using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using ResponseFunctions.Playbook.Actions;
using ResponseFunctions.Playbook.Approval;
using ResponseFunctions.Playbook.Approval.Links;
using ResponseFunctions.Playbook.Approval.Page;
using ResponseFunctions.Playbook.Approval.Teams;
using ResponseFunctions.Playbook.Cases.MailDataLeak;
using ResponseFunctions.Playbook.Catalog;
using ResponseFunctions.Playbook.Tests.Support;
using static ResponseFunctions.Playbook.Tests.Approval.ApprovalSamples;

namespace ResponseFunctions.Playbook.Tests.Approval;

/// <summary>
/// Cards stay under Teams' ~28 KB message limit (learn.microsoft.com/connectors/teams, "Known issues and limitations");
/// the simulated Workflows webhook accepts larger ones with 202 and never posts them, as the real flow does.
/// </summary>
public sealed class CardSizeCapTests
{
    [Fact]
    public async Task NotifyAsync_TenThousandMailboxPlan_PostsACappedCardAndThePageListsEveryMailbox()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        harness.Tenant.State.Mutate(m =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                m.Exchange.Mailboxes.Add(new JsonObject
                {
                    ["Identity"] = $"user{i:00000}", ["Name"] = $"user{i:00000}", ["Alias"] = $"user{i:00000}",
                    ["UserPrincipalName"] = $"user{i:00000}@contoso.onmicrosoft.com", ["PrimarySmtpAddress"] = $"user{i:00000}@contoso.onmicrosoft.com",
                    ["ExternalDirectoryObjectId"] = Guid.CreateVersion7().ToString(), ["RecipientTypeDetails"] = "UserMailbox",
                    ["PopEnabled"] = true, ["ImapEnabled"] = true, ["SmtpClientAuthenticationDisabled"] = null,
                });
            }
        });
        var step = await harness.StepAsync("5.d", Mailboxes.Bec());
        var plan = await harness.Action("5.d").PlanAsync(step, default);
        var request = new ApprovalRequest("04-5d", Instance, "INC-BEC-1", 4, ActionId.Parse("5.d"), "Legacy protocols off", step.Target,
            plan.Summary, plan.Changes, plan.Evidence, plan.Warnings, true, Now, Now.AddMinutes(30));
        var notifier = new TeamsApprovalNotifier(
            new HttpClient(harness.Tenant.CreateHandler()),
            Microsoft.Extensions.Options.Options.Create(new TeamsOptions { WebhookUrl = new Uri(harness.Tenant.BaseAddress, "teams/webhooks/soc") }),
            new ApprovalLinks(new ApprovalTokens(Options, new ManualClock(Now)), Options),
            new NoRoles(), Microsoft.Extensions.Options.Options.Create(Contoso.Policy()), NullLogger<TeamsApprovalNotifier>.Instance);

        await notifier.NotifyAsync(request, default);

        Assert.True(plan.Changes.Count >= 10_000);
        Assert.Empty(harness.Tenant.State.Read(m => m.TeamsFlowFailures.ToList()));
        var posted = Assert.Single(harness.Tenant.State.Read(m => m.TeamsMessages.ToList())).Message;
        Assert.True(CardSizeCap.SizeOf(posted) <= CardSizeCap.BudgetBytes, $"{CardSizeCap.SizeOf(posted)} bytes");
        var text = posted.ToJsonString();
        Assert.Contains($"and {plan.Changes.Count - 25:N0} more change(s): the full list is on the approval page", text, StringComparison.Ordinal);
        Assert.Contains($"{plan.Changes.Count:N0} change(s)", text, StringComparison.Ordinal);
        Assert.Contains("/approve?token=", text, StringComparison.Ordinal);
        var page = new ApprovalPageHtml(PageLanguage.English, new ApprovalPageClock(TimeZoneInfo.Utc), TimeProvider.System).Form(Instance, [request], Approver(), "token", "csrf", null, null);
        var listed = System.Text.RegularExpressions.Regex.Matches(page, @"user\d{5}@contoso\.onmicrosoft\.com").Select(m => m.Value).ToHashSet();
        Assert.Equal(10_000, listed.Count);
    }

    [Fact]
    public async Task TeamsWebhook_UncappedCardOverTheLimit_IsAcceptedButNeverPosted()
    {
        await using var harness = await PlaybookHarness.StartAsync("bec", Mailboxes.BecPolicy);
        var changes = Enumerable.Range(0, 400).Select(i => new DisableMailboxLegacyProtocols($"user{i}@contoso.onmicrosoft.com", $"POP and IMAP off on user{i}@contoso.onmicrosoft.com (both on by default)")).ToList();
        var message = ApprovalCards.Request(Request() with { Changes = changes }, [], new Uri("https://rf.example/approve"));
        using var http = new HttpClient(harness.Tenant.CreateHandler());

        using var response = await http.PostAsync(new Uri(harness.Tenant.BaseAddress, "teams/webhooks/soc"), new StringContent(message.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(CardSizeCap.SizeOf(message) > CardSizeCap.TeamsLimitBytes);
        Assert.Empty(harness.Tenant.State.Read(m => m.TeamsMessages.ToList()));
        Assert.Contains("RequestEntityTooLarge", Assert.Single(harness.Tenant.State.Read(m => m.TeamsFlowFailures.ToList())).Reason, StringComparison.Ordinal);
    }

    private sealed class NoRoles : ITargetRoles
    {
        public Task<IReadOnlyList<string>> RolesOfAsync(ActionTarget target, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);
    }
}
